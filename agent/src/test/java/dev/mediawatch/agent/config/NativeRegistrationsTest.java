package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.mediawatch.agent.engine.EngineClient;
import dev.mediawatch.contract.HostState;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The native executable can only read and write with Jackson what is registered for reflection
 * ({@link NativeRegistrations}). No native toolchain runs on the build machines, so this test is the guard: it
 * scans the contract package, and the engine client's package (which reads the engine's JSON as trees and so
 * binds nothing), and fails naming whatever is missing.
 */
class NativeRegistrationsTest {

    private static final RegisterForReflection REG = NativeRegistrations.class.getAnnotation(RegisterForReflection.class);

    @Test
    void everyContractRecordAndEnumIsRegistered() throws Exception {
        List<Class<?>> contract = contractClasses();
        // Guard against a scan that silently finds nothing (a changed package or build layout).
        assertThat(contract).as("contract classes found").hasSizeGreaterThan(40).contains(HostState.class);

        Set<String> missing = new TreeSet<>();
        for (Class<?> c : contract) {
            if ((c.isRecord() || c.isEnum()) && !registered(c)) {
                missing.add(c.getName());
            }
        }
        assertThat(missing)
                .as("contract records/enums missing from NativeRegistrations (add them to its targets)")
                .isEmpty();
    }

    @Test
    void theEngineClientBindsNothingByReflection() throws Exception {
        List<Class<?>> engine = packageClasses(EngineClient.class);
        assertThat(engine).as("engine classes found").contains(EngineClient.class, EngineClient.EventStream.class);

        Set<String> bound = new TreeSet<>();
        for (Class<?> c : engine) {
            if ((c.isRecord() || jacksonAnnotated(c)) && !registered(c)) {
                bound.add(c.getName());
            }
        }
        assertThat(bound)
                .as("engine classes Jackson would bind, missing from NativeRegistrations (or read the JSON as trees)")
                .isEmpty();
    }

    @Test
    void nestedClassesAreRegisteredWithTheirOwners() {
        // The checks above count a nested class as registered when its owner is: true only with ignoreNested=false.
        assertThat(REG).isNotNull();
        assertThat(REG.ignoreNested()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Registered itself (targets or classNames), or nested in a registered class (ignoreNested=false). */
    private static boolean registered(Class<?> c) {
        Set<String> names = new HashSet<>(Arrays.asList(REG.classNames()));
        for (Class<?> t : REG.targets()) {
            names.add(t.getName());
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (names.contains(k.getName())) {
                return true;
            }
            if (REG.ignoreNested()) {
                return false;
            }
        }
        return false;
    }

    /** Every top-level and nested class of {@code dev.mediawatch.contract}, from its directory or jar. */
    private static List<Class<?>> contractClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        return packageClasses(HostState.class);
    }

    /** Every top-level and nested class of the package of {@code anchor}, from its directory or jar. */
    private static List<Class<?>> packageClasses(Class<?> anchor) throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = anchor.getPackageName().replace('.', '/') + "/";
        List<String> entries;
        if (Files.isDirectory(where)) {
            try (Stream<Path> s = Files.list(where.resolve(pkg))) {
                entries = s.map(p -> pkg + p.getFileName()).toList();
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                entries = jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith(pkg) && n.indexOf('/', pkg.length()) < 0).toList();
            }
        }
        ClassLoader loader = anchor.getClassLoader();
        List<Class<?>> classes = new ArrayList<>();
        for (String e : entries) {
            if (!e.endsWith(".class") || e.endsWith("package-info.class")) {
                continue;
            }
            Class<?> c = Class.forName(e.substring(0, e.length() - 6).replace('/', '.'), false, loader);
            if (!c.isAnonymousClass() && !c.isSynthetic() && !c.isLocalClass()) {
                classes.add(c);
            }
        }
        return classes;
    }

    /** Carries a Jackson annotation: on the class, a field, a constructor or method, or one of their parameters. */
    private static boolean jacksonAnnotated(Class<?> c) {
        List<AnnotatedElement> elements = new ArrayList<>();
        elements.add(c);
        elements.addAll(Arrays.asList(c.getDeclaredFields()));
        for (Executable e : c.getDeclaredConstructors()) {
            elements.add(e);
            elements.addAll(Arrays.asList(e.getParameters()));
        }
        for (Executable e : c.getDeclaredMethods()) {
            elements.add(e);
            elements.addAll(Arrays.asList(e.getParameters()));
        }
        for (AnnotatedElement e : elements) {
            for (Annotation a : e.getAnnotations()) {
                if (a.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
                    return true;
                }
            }
        }
        return false;
    }
}
