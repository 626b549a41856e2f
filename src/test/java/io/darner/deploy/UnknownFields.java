package io.darner.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields a manifest has that the Kubernetes model does not know. The model keeps them aside in
 * {@code additionalProperties} instead of failing, so a misspelt field ({@code readinesProbe},
 * {@code mountpath}) would load without a word, and the API server would drop or refuse it.
 */
final class UnknownFields {
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private UnknownFields() {
    }

    /** The paths of the unknown fields in a loaded resource, e.g. {@code spec.template.spec.foo}. */
    static List<String> in(Object resource) {
        List<String> found = new ArrayList<>();
        walk(resource, "", found);
        return found;
    }

    private static void walk(Object node, String path, List<String> found) {
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> walk(value, path + "." + key, found));
        } else if (node != null && node.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
            for (Method getter : getters(node)) {
                Object value = invoke(getter, node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(key -> found.add((path + "." + key).substring(1)));
                } else {
                    walk(value, path + "." + propertyName(getter), found);
                }
            }
        }
    }

    private static List<Method> getters(Object node) {
        List<Method> getters = new ArrayList<>();
        for (Method m : node.getClass().getMethods()) {
            if (m.getName().startsWith("get") && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() != Object.class) {
                getters.add(m);
            }
        }
        return getters;
    }

    private static Object invoke(Method getter, Object node) {
        try {
            return getter.invoke(node);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null; // a derived value that cannot be computed; the fields themselves are plain
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
