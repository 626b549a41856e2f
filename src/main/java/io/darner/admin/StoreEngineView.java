package io.darner.admin;

import io.darner.storage.StoreEngine;

/**
 * Which LevelDB the store runs on: {@code engine} {@code native} or {@code java}, the
 * {@code darner.store-engine} {@code setting} that chose it, and the {@code reason} in a sentence
 * (for {@code auto}, what loading the native library found), as the start log says it.
 */
public record StoreEngineView(String engine, String setting, String reason) {
    static StoreEngineView of(StoreEngine e) {
        return new StoreEngineView(e.kind().word(), e.setting(), e.reason());
    }
}
