package io.darner.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The application's own configuration file, as the packaged server reads it (the prod profile). */
final class AppProperties {
    static final Path FILE = Path.of("src/main/resources/application.properties");

    private final Properties properties = new Properties();

    private AppProperties() {
    }

    static AppProperties load() throws IOException {
        AppProperties app = new AppProperties();
        try (Reader in = Files.newBufferedReader(FILE)) {
            app.properties.load(in);
        }
        return app;
    }

    String get(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new AssertionError(FILE + " sets no " + key);
        }
        return value.trim();
    }

    int port(String key) {
        return Integer.parseInt(get(key));
    }
}
