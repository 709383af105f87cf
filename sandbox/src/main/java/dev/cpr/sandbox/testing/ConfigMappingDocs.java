package dev.cpr.sandbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code cpr.*} properties a service's {@code @ConfigMapping} interfaces declare, read by reflection, and
 * which of them its README does not document: each property's full name must be on a README line, and that
 * line must show its {@code @WithDefault} value, if it has one. A map ({@code cpr.backup.rpo.<cluster>}) counts
 * as documented by its own name. SmallRye's annotations are matched by name, so this needs no Quarkus.
 */
public final class ConfigMappingDocs {

    private static final String CONFIG_MAPPING = "io.smallrye.config.ConfigMapping";
    private static final String WITH_DEFAULT = "io.smallrye.config.WithDefault";
    private static final String WITH_NAME = "io.smallrye.config.WithName";

    private ConfigMappingDocs() {
    }

    /** One property: its full name, and its default (null without one). */
    public record Property(String name, String defaultValue) {
    }

    /**
     * The {@code cpr.*} properties of every {@code @ConfigMapping} interface found where the given classes were
     * loaded from (a classes directory or a jar), by name.
     */
    public static Map<String, Property> properties(Class<?>... codeSourcesOf) {
        Map<String, Property> found = new TreeMap<>();
        for (Class<?> anchor : codeSourcesOf) {
            for (Class<?> mapping : mappingsBeside(anchor)) {
                String prefix = (String) annotationValue(annotation(mapping, CONFIG_MAPPING), "prefix");
                if (prefix.equals("cpr") || prefix.startsWith("cpr.")) {
                    collect(mapping, prefix, found);
                }
            }
        }
        return found;
    }

    /** The properties {@code readme} does not document, each with what is missing. */
    public static List<String> undocumented(Path readme, Collection<Property> properties) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + readme, e);
        }
        List<String> missing = new ArrayList<>();
        for (Property property : properties) {
            List<String> naming = lines.stream().filter(l -> namesProperty(l, property.name())).toList();
            if (naming.isEmpty()) {
                missing.add(property.name() + " (not in " + readme.getFileName() + ")");
            } else if (property.defaultValue() != null
                    && naming.stream().noneMatch(l -> l.contains(property.defaultValue()))) {
                missing.add(property.name() + " (its default '" + property.defaultValue() + "' is not on its line)");
            }
        }
        return missing;
    }

    /**
     * The name itself, not a longer one it begins ({@code cpr.a.b} is not documented by {@code cpr.a.b-c}); or, in
     * a row naming a sibling, its last segment abbreviated ("{@code `cpr.a.x` / `.b`}" or "{@code / `b`}").
     */
    private static boolean namesProperty(String line, String name) {
        String parent = name.substring(0, name.lastIndexOf('.') + 1);
        String last = name.substring(parent.length());
        if (line.contains("`" + parent) && (line.contains("`." + last + "`") || line.contains("/ `" + last + "`"))) {
            return true;
        }
        return namesExactly(line, name);
    }

    private static boolean namesExactly(String line, String name) {
        for (int at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
            int end = at + name.length();
            if (end == line.length() || !Character.isLetterOrDigit(line.charAt(end)) && line.charAt(end) != '-') {
                return true;
            }
        }
        return false;
    }

    private static void collect(Class<?> type, String prefix, Map<String, Property> found) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Annotation withName = annotation(method, WITH_NAME);
            String name = prefix + "." + (withName != null ? (String) annotationValue(withName, "value")
                    : kebab(method.getName()));
            Class<?> value = method.getReturnType() == Optional.class ? optionalOf(method) : method.getReturnType();
            if (isGroup(value)) {
                collect(value, name, found);
            } else {
                Annotation withDefault = annotation(method, WITH_DEFAULT);
                found.put(name, new Property(name, withDefault == null ? null : (String) annotationValue(withDefault,
                        "value")));
            }
        }
    }

    /** A nested mapping interface (a group of properties), not a value type, list or map. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static Class<?> optionalOf(Method method) {
        if (method.getGenericReturnType() instanceof java.lang.reflect.ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Annotation annotation(java.lang.reflect.AnnotatedElement element, String type) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals(type)) {
                return a;
            }
        }
        return null;
    }

    private static Object annotationValue(Annotation annotation, String attribute) {
        try {
            return annotation.annotationType().getMethod(attribute).invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + attribute + " of " + annotation, e);
        }
    }

    /** Every {@code @ConfigMapping} interface in the classes directory or jar that {@code anchor} came from. */
    private static List<Class<?>> mappingsBeside(Class<?> anchor) {
        Path source;
        try {
            source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anchor, e);
        }
        List<Class<?>> mappings = new ArrayList<>();
        if (Files.isDirectory(source)) {
            addMappings(source, anchor.getClassLoader(), mappings);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + source.toUri()), Map.of())) {
                addMappings(jar.getPath("/"), anchor.getClassLoader(), mappings);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source, e);
            }
        }
        return mappings;
    }

    private static void addMappings(Path root, ClassLoader loader, List<Class<?>> mappings) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = root.relativize(file).toString();
                String className = relative.substring(0, relative.length() - ".class".length())
                        .replace('/', '.').replace('\\', '.');
                if (className.endsWith("module-info") || className.startsWith("META-INF")) {
                    continue;
                }
                try {
                    Class<?> type = Class.forName(className, false, loader);
                    if (type.isInterface() && annotation(type, CONFIG_MAPPING) != null) {
                        mappings.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError notLoadable) {
                    // a class whose dependencies are not on this class path holds no mapping we could read anyway
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
