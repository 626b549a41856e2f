package io.darner.admin;

/** The answer to a redrive: how many items moved. */
public record RedriveBody(long moved) {}
