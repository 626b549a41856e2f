package io.darner.loadgen;

import java.util.ArrayList;
import java.util.List;

/** The first few error messages of the run, to print; the errors themselves are counted in {@link PhaseStats}. */
final class ErrorLog {
    static final int KEPT = 10;
    private final List<String> messages = new ArrayList<>();

    synchronized void add(String message) {
        if (messages.size() < KEPT) {
            messages.add(message);
        }
    }

    synchronized List<String> messages() {
        return List.copyOf(messages);
    }
}
