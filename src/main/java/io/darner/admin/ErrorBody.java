package io.darner.admin;

/** The body of every admin API error. */
public record ErrorBody(String error) {}
