package io.darner.config;

import java.util.List;

/**
 * An alias ({@code darner.aliases."name".*}), as in Kestrel: a name that takes sets and stores a
 * copy of each in every destination queue. It holds no items and is never a queue itself.
 */
public interface AliasSettings {

    /** The queues a set on the alias is copied to, comma-separated. */
    List<String> destinations();
}
