package io.darner.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The parts of {@code deploy/kustomization.yaml} the manifest checks need. */
@JsonIgnoreProperties(ignoreUnknown = true)
record Kustomization(List<String> resources, List<Generator> configMapGenerator, List<Generator> secretGenerator) {

    /** A configMapGenerator or secretGenerator entry: its entries from files or literals. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Generator(String name, List<String> files, List<String> literals) {
        /** The keys it generates: a file's name (or the key before {@code =}), a literal's key. */
        List<String> keys() {
            return java.util.stream.Stream.concat(
                    orEmpty(files).stream().map(f -> f.contains("=") ? before(f) : Path.of(f).getFileName().toString()),
                    orEmpty(literals).stream().map(Kustomization::before)).toList();
        }
    }

    static Kustomization read(Path file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Kustomization.class);
    }

    Optional<Generator> configMap(String name) {
        return orEmpty(configMapGenerator).stream().filter(g -> g.name().equals(name)).findFirst();
    }

    Optional<Generator> secret(String name) {
        return orEmpty(secretGenerator).stream().filter(g -> g.name().equals(name)).findFirst();
    }

    int generatedCount() {
        return orEmpty(configMapGenerator).size() + orEmpty(secretGenerator).size();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String before(String keyValue) {
        return keyValue.substring(0, keyValue.indexOf('='));
    }
}
