package dev.mediawatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DockerConfigFile;
import com.github.dockerjava.core.DockerContextMetaFile;

import dev.mediawatch.contract.HostState;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The native executable can only read and write with Jackson what is registered for reflection
 * ({@link NativeRegistrations}). No native toolchain runs on the build machines, so this test is the guard: it
 * scans the contract package and the docker-java models the agent reads, and fails naming whatever is missing.
 */
class NativeRegistrationsTest {

    private static final RegisterForReflection REG = NativeRegistrations.class.getAnnotation(RegisterForReflection.class);

    /** The engine responses the agent reads (DockerEngine, EventFollower, ContainerPauser), and the
     * ~/.docker files DefaultDockerClientConfig reads when it is built. */
    private static final List<Class<?>> DOCKER_ROOTS = List.of(Container.class, Version.class, Event.class,
            InspectContainerResponse.class, DockerConfigFile.class, DockerContextMetaFile.class, AuthConfig.class);

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
    void everyDockerJavaModelReachableFromWhatTheAgentReadsIsRegistered() {
        Set<Class<?>> reachable = dockerClosure();
        assertThat(reachable).as("docker-java closure").hasSizeGreaterThan(20);

        Set<String> missing = new TreeSet<>();
        for (Class<?> c : reachable) {
            if (!registered(c)) {
                missing.add(c.getName().replace('$', '.'));
            }
        }
        assertThat(missing)
                .as("docker-java classes Jackson builds from the engine's JSON, missing from NativeRegistrations")
                .isEmpty();
    }

    @Test
    void theUnixSocketTransportsReflectiveLookupIsRegistered() {
        // docker-java-transport's UnixSocket finds UnixDomainSocketAddress.of(String) by reflection (JNA otherwise).
        assertThat(registered(java.net.UnixDomainSocketAddress.class)).isTrue();
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
        Path where = Path.of(HostState.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = "dev/mediawatch/contract/";
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
        ClassLoader loader = HostState.class.getClassLoader();
        List<Class<?>> classes = new java.util.ArrayList<>();
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

    /**
     * The docker-java classes Jackson touches when it reads the roots: superclasses, the types of instance fields
     * (with their type arguments and array components), of {@code @JsonCreator} and {@code @JsonProperty}
     * parameters and methods, and the serializer, deserializer and target classes named by
     * {@code @JsonSerialize}/{@code @JsonDeserialize}.
     */
    private static Set<Class<?>> dockerClosure() {
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(DOCKER_ROOTS);
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!isDockerJava(c) || !seen.add(c)) {
                continue;
            }
            Set<Class<?>> next = new HashSet<>();
            if (c.getSuperclass() != null) {
                next.add(c.getSuperclass());
            }
            annotationClasses(c, next);
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                types(f.getGenericType(), next);
                annotationClasses(f, next);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (jackson(m)) {
                    types(m.getGenericReturnType(), next);
                    params(m, next);
                }
                annotationClasses(m, next);
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (jackson(k)) {
                    params(k, next);
                }
            }
            todo.addAll(next);
        }
        return seen;
    }

    private static boolean isDockerJava(Class<?> c) {
        return c.getName().startsWith("com.github.dockerjava.") && !c.isAnnotation() && !c.isSynthetic()
                && !c.isAnonymousClass();
    }

    private static boolean jackson(Executable e) {
        return e.isAnnotationPresent(JsonCreator.class) || e.isAnnotationPresent(JsonProperty.class);
    }

    private static void params(Executable e, Set<Class<?>> into) {
        for (Type t : e.getGenericParameterTypes()) {
            types(t, into);
        }
    }

    private static void annotationClasses(AnnotatedElement e, Set<Class<?>> into) {
        JsonDeserialize d = e.getAnnotation(JsonDeserialize.class);
        if (d != null) {
            into.addAll(List.of(d.using(), d.contentUsing(), d.keyUsing(), d.as(), d.contentAs(), d.keyAs(), d.builder()));
        }
        JsonSerialize s = e.getAnnotation(JsonSerialize.class);
        if (s != null) {
            into.addAll(List.of(s.using(), s.contentUsing(), s.keyUsing(), s.nullsUsing(), s.as(), s.contentAs(),
                    s.keyAs()));
        }
    }

    private static void types(Type t, Set<Class<?>> into) {
        if (t instanceof Class<?> c) {
            if (c.isArray()) {
                types(c.getComponentType(), into);
            } else {
                into.add(c);
            }
        } else if (t instanceof ParameterizedType p) {
            types(p.getRawType(), into);
            for (Type a : p.getActualTypeArguments()) {
                types(a, into);
            }
        } else if (t instanceof GenericArrayType g) {
            types(g.getGenericComponentType(), into);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                types(b, into);
            }
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                types(b, into);
            }
        }
    }
}
