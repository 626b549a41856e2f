package io.darner.admin;

/** The server status as JSON: {@code up}, {@code readonly} or {@code quiescent}. */
public record StatusBody(String status) {}
