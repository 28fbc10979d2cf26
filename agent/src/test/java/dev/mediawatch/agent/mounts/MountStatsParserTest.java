package dev.mediawatch.agent.mounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mediawatch.agent.mounts.MountStatsParser.Bytes;
import dev.mediawatch.agent.mounts.MountStatsParser.NfsMount;
import dev.mediawatch.agent.mounts.MountStatsParser.Op;
import dev.mediawatch.agent.mounts.MountStatsParser.Result;

/** Fixtures and their sources: src/test/resources/fixtures/proc/README.md. */
class MountStatsParserTest {

    static String fixture(String name) throws IOException {
        return new String(MountStatsParserTest.class.getResourceAsStream("/fixtures/proc/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    static Result parse(String fixture) throws IOException {
        return MountStatsParser.parse(fixture(fixture));
    }

    static NfsMount at(Result r, String mountPoint) {
        return r.mounts().stream().filter(m -> m.mountPoint().equals(mountPoint)).findFirst().orElseThrow();
    }

    /** Unsigned decimal, so the table can hold values above Long.MAX_VALUE. */
    static long u(String decimal) {
        return Long.parseUnsignedLong(decimal);
    }

    @ParameterizedTest(name = "{0}: {1} NFS mounts, {2} skipped")
    @CsvSource({
            "mountstats-procfs-nfs4.0-tcp.txt,          1, 0",
            "mountstats-procfs-nfs4.1-tcp.txt,          1, 0",
            "mountstats-procfs-nfs3-rdma-nconnect.txt,  1, 0",
            "mountstats-nfs4.2-and-nfs3-tcp.txt,        2, 0",
            "mountstats-nfs3-tcp-statvers1.0.txt,       1, 0",
            "mountstats-nfs3-udp-statvers1.0-a.txt,     1, 0",
            "mountstats-nfs3-udp-statvers1.0-b.txt,     1, 0",
            "mountstats-telegraf-malformed.txt,         2, 2",
            "mountstats-escaped-mountpoint-edited.txt,  1, 0",
            "mountstats-wrap-constructed-earlier.txt,   1, 0",
            "mountstats-wrap-constructed-later.txt,     1, 0",
    })
    void everyFixture_onlyNfsMountsAreReturned_andMalformedLinesCounted(String fixture, int mounts, int skipped)
            throws IOException {
        Result r = parse(fixture);
        assertThat(r.mounts()).hasSize(mounts);
        assertThat(r.skipped()).isEqualTo(skipped);
        assertThat(r.mounts()).allSatisfy(m -> assertThat(m.fsType()).isIn("nfs", "nfs4"));
    }

    /** One row per mount: header, options, age, transport and one per-op line, as printed in the fixture. */
    record Mount(String fixture, String mountPoint, String device, String fsType, String statVersion, String vers,
            String proto, long age, String xprt, String sends, String backlog, long connects, int opCount,
            String op, String ops, String trans, String rttMs, String executeMs, String errors) {
    }

    static Stream<Arguments> mounts() {
        return Stream.of(
                // NFSv4.0 over TCP, statvers=1.1 (13-number xprt), RPC iostats 1.0 (8-number ops)
                new Mount("mountstats-procfs-nfs4.0-tcp.txt", "/mnt/nfs/test", "192.168.1.1:/srv/test", "nfs4",
                        "1.1", "4.0", "tcp", 13968, "tcp", "6428", "0", 1, 4,
                        "READ", "1298", "1298", "79386", "79407", "0"),
                // NFSv4.1 over TCP, RPC iostats 1.1: the 9th per-op number is errors
                new Mount("mountstats-procfs-nfs4.1-tcp.txt", "/var/lib/kubelet/pods/"
                        + "1c2215a7-0d92-4df5-83ce-a807bcc2f8c8/volumes/kubernetes.io~nfs/"
                        + "home-automation--node-red-data--pv0001",
                        "fs.example.com:/volume4/apps/home-automation/node-red-data", "nfs4", "1.1", "4.1", "tcp",
                        83520, "tcp", "938505", "0", 2, 63,
                        "LOOKUP", "11727", "11727", "16935", "17662", "3546"),
                // NFSv4.2 over TCP
                new Mount("mountstats-nfs4.2-and-nfs3-tcp.txt", "/mnt/nfs1/docs", "10.0.2.31:/volume1/Public/docs",
                        "nfs4", "1.1", "4.2", "tcp", 258103, "tcp", "35130", "0", 62, 69,
                        "GETATTR", "13920", "13924", "27030", "34563", "7"),
                // NFSv3 over TCP, statvers=1.1
                new Mount("mountstats-nfs4.2-and-nfs3-tcp.txt", "/mailhome6", "10.0.47.9:/mailserver25home6", "nfs",
                        "1.1", "3", "tcp", 2919118, "tcp", "1013715537", "0", 1, 22,
                        "WRITE", "573159", "573159", "7676187", "18630731", "0"),
                // NFSv3 over TCP, statvers=1.0: 10-number xprt
                new Mount("mountstats-nfs3-tcp-statvers1.0.txt", "/ifs", "ifs10G.blah.blah.blah.com:/ifs", "nfs",
                        "1.0", "3", "tcp", 1309110, "tcp", "172670997", "293843845166", 1, 12,
                        "WRITE", "22095837", "22095838", "103711782", "212850213433", "0"),
                // NFSv3 over UDP, statvers=1.0: 7-number xprt, no connect count; the ops were not pasted
                new Mount("mountstats-nfs3-udp-statvers1.0-a.txt", "/u/joe", "sparrow:/exported/joe", "nfs", "1.0",
                        "3", "udp", 274, "udp", "74", "0", 0, 0,
                        null, null, null, null, null, null),
                new Mount("mountstats-nfs3-udp-statvers1.0-b.txt", "/u/joe", "sparrow:/exported/joe", "nfs", "1.0",
                        "3", "udp", 2526, "udp", "560", "176", 0, 12,
                        "READ", "193", "193", "424", "600", "0"),
                // NFSv3 over RDMA with nconnect=16: 16 xprt lines, summed
                new Mount("mountstats-procfs-nfs3-rdma-nconnect.txt", "<mountpoint>", "<nfsserver>:<nfsmount>", "nfs",
                        "1.1", "3", "rdma", 1270876, "rdma", "7729061226", "4076596918", 175008, 22,
                        "READ", "2654501510", "2654501510", "31407021389", "37927280438", "0"),
                // telegraf's fixture: opts wrapped over three lines (the continuation lines are ignored, so
                // proto= is lost) and two malformed per-op lines (not in the 45 ops)
                new Mount("mountstats-telegraf-malformed.txt", "/mnt", "2.2.2.2:/nfsdata/", "nfs4", "1.1", "4", null,
                        19, "tcp", "69698", "0", 1, 45,
                        "READ", "9797", "9797", "7953", "8200", "0"),
                new Mount("mountstats-telegraf-malformed.txt", "/NFS", "1.2.3.4:/storage/NFS", "nfs", "1.1", "3",
                        "tcp", 1136770, "tcp", "96172963", "0", 1, 22,
                        "WRITE", "700", "701", "706", "707", "0"),
                // counters near and at 2^64 - 1
                new Mount("mountstats-wrap-constructed-earlier.txt", "/target", "X.X.X.X:/export", "nfs4", "1.1",
                        "4.0", "tcp", 1000, "tcp", "18446744073709551515", "1000", 1, 4,
                        "READ", "18446744073709551615", "18446744073709551615", "18446744073709550616",
                        "18446744073709550616", "0"))
                .map(m -> Arguments.of(m.fixture() + " " + m.mountPoint(), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mounts")
    void mount_headerOptionsTransportAndOps(String name, Mount want) throws IOException {
        NfsMount m = at(parse(want.fixture()), want.mountPoint());
        assertThat(m.device()).isEqualTo(want.device());
        assertThat(m.fsType()).isEqualTo(want.fsType());
        assertThat(m.statVersion()).isEqualTo(want.statVersion());
        assertThat(m.options().get("vers")).isEqualTo(want.vers());
        assertThat(m.options().get("proto")).isEqualTo(want.proto());
        assertThat(m.ageSeconds()).isEqualTo(want.age());
        assertThat(m.transport().protocol()).isEqualTo(want.xprt());
        assertThat(m.transport().sends()).isEqualTo(u(want.sends()));
        assertThat(m.transport().backlogCumulative()).isEqualTo(u(want.backlog()));
        assertThat(m.transport().connectCount()).isEqualTo(want.connects());
        assertThat(m.ops()).hasSize(want.opCount());
        if (want.op() != null) {
            Op op = m.ops().get(want.op());
            assertThat(op.ops()).isEqualTo(u(want.ops()));
            assertThat(op.transmissions()).isEqualTo(u(want.trans()));
            assertThat(op.rttMs()).isEqualTo(u(want.rttMs()));
            assertThat(op.executeMs()).isEqualTo(u(want.executeMs()));
            assertThat(op.errors()).isEqualTo(u(want.errors()));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "mountstats-procfs-nfs4.0-tcp.txt,         /mnt/nfs/test, 1207640230, 0, 0, 0, 1210214218, 0, 295483, 0",
            "mountstats-procfs-nfs3-rdma-nconnect.txt, <mountpoint>, 3104202770327296, 0, 0, 0, 2013200952170479, 0,"
                    + " 491504202537, 0",
            "mountstats-telegraf-malformed.txt,        /NFS, 204440464584, 110857586443, 783170354688, 296174954496,"
                    + " 1134399088816, 407107155723, 85749323, 30784819",
            "mountstats-nfs3-udp-statvers1.0-b.txt,    /u/joe, 131161418, 19867448, 0, 0, 114028223, 19862777, 31282,"
                    + " 4349",
            "mountstats-wrap-constructed-earlier.txt,  /target, 0, 0, 0, 0, 18446744073709551000, 5000000, 0, 0",
    })
    void bytesLine_allEightCounters(String fixture, String mountPoint, String normalRead, String normalWrite,
            String directRead, String directWrite, String serverRead, String serverWrite, String readPages,
            String writePages) throws IOException {
        assertThat(at(parse(fixture), mountPoint).bytes()).isEqualTo(new Bytes(u(normalRead), u(normalWrite),
                u(directRead), u(directWrite), u(serverRead), u(serverWrite), u(readPages), u(writePages)));
    }

    @ParameterizedTest(name = "{0} {1}: {2} events")
    @CsvSource({
            // 27 counters since pNFS (2.6.3x), 25 before
            "mountstats-procfs-nfs4.0-tcp.txt,      /mnt/nfs/test, 27, 52,   226,  331,  77",
            "mountstats-nfs3-tcp-statvers1.0.txt,   /ifs,          25, 86104644, 8232551112, 4419865, 3214807",
            "mountstats-nfs3-udp-statvers1.0-a.txt, /u/joe,        25, 175,  77,   7,    2",
    })
    void eventsLine_namedInKernelOrder(String fixture, String mountPoint, int count, long inodeRevalidate,
            long dentryRevalidate, long readPages, long flush) throws IOException {
        NfsMount m = at(parse(fixture), mountPoint);
        assertThat(m.events()).hasSize(count);
        assertThat(m.events()).containsEntry("inode_revalidate", inodeRevalidate)
                .containsEntry("dentry_revalidate", dentryRevalidate).containsEntry("vfs_read_pages", readPages)
                .containsEntry("vfs_flush", flush);
        assertThat(m.events().keySet()).first().isEqualTo("inode_revalidate");
    }

    @Test
    void realCounterNear2To64_isKeptAsUnsigned() throws IOException {
        // ACCESS queue time from a RHEL 7.3 kernel (prometheus/procfs issue #166): a u64 just below 2^64
        Op access = at(parse("mountstats-procfs-nfs4.0-tcp.txt"), "/mnt/nfs/test").ops().get("ACCESS");
        assertThat(Long.toUnsignedString(access.queueMs())).isEqualTo("18446743919241604546");
        assertThat(access.queueMs()).isNegative(); // as a signed long: compare with Long.compareUnsigned
        assertThat(access.ops()).isEqualTo(2927395007L);
        assertThat(access.bytesSent()).isEqualTo(526931094212L);
        assertThat(access.bytesReceived()).isEqualTo(362996810236L);
    }

    @Test
    void options_inOrder_flagsMapToEmpty() throws IOException {
        NfsMount m = at(parse("mountstats-procfs-nfs4.0-tcp.txt"), "/mnt/nfs/test");
        assertThat(m.options().keySet()).startsWith("rw", "vers", "rsize").endsWith("local_lock");
        assertThat(m.options()).containsEntry("rw", "").containsEntry("hard", "").containsEntry("timeo", "600")
                .containsEntry("retrans", "2").containsEntry("clientaddr", "192.168.1.5");
        assertThat(m.ops().keySet()).containsExactly("NULL", "READ", "WRITE", "ACCESS");
    }

    @Test
    void mountPointEscapes_areDecoded_andTheNonNfsLineIsIgnored() throws IOException {
        Result r = parse("mountstats-escaped-mountpoint-edited.txt");
        assertThat(r.mounts()).extracting(NfsMount::mountPoint).containsExactly("/mnt/media library");
        assertThat(r.mounts().get(0).ops().get("READ").ops()).isEqualTo(1298);
    }

    @Test
    void telegrafFixture_malformedLinesAreSkipped_neighboursKept() throws IOException {
        NfsMount m = at(parse("mountstats-telegraf-malformed.txt"), "/mnt");
        assertThat(m.ops()).doesNotContainKeys("LAYOUTCOMMIT", "LAYOUTRETURN")
                .containsKeys("GETDEVICEINFO", "DESTROY_SESSION");
        assertThat(m.ops().get("DESTROY_SESSION")).isEqualTo(new Op(500, 501, 502, 503, 504, 505, 506, 507, 0));
        assertThat(m.options()).containsEntry("acregmax", "60").doesNotContainKey("acdirmin");
    }

    static final String HEAD = "device srv:/x mounted on /x with fstype nfs4 statvers=1.1\n";

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("per-op line with 7 numbers", HEAD + "per-op statistics\n READ: 1 1 0 0 0 0 0\n", 1, 1),
                Arguments.of("per-op line not numeric", HEAD + "per-op statistics\n READ: 1 1 0 x 0 0 0 0\n", 1, 1),
                Arguments.of("per-op negative number", HEAD + "per-op statistics\n READ: -1 1 0 0 0 0 0 0\n", 1, 1),
                Arguments.of("per-op number above 2^64-1",
                        HEAD + "per-op statistics\n READ: 18446744073709551616 1 0 0 0 0 0 0\n", 1, 1),
                Arguments.of("per-op errors not numeric", HEAD + "per-op statistics\n READ: 1 1 0 0 0 0 0 0 e\n", 1, 1),
                Arguments.of("bytes with 7 numbers", HEAD + " bytes: 1 2 3 4 5 6 7\n", 1, 1),
                Arguments.of("events empty", HEAD + " events:\n", 1, 1),
                Arguments.of("age not a number", HEAD + " age: soon\n", 1, 1),
                Arguments.of("opts without value", HEAD + " opts:\n", 1, 1),
                Arguments.of("xprt tcp with 9 numbers", HEAD + " xprt: tcp 1 2 3 4 5 6 7 8 9\n", 1, 1),
                Arguments.of("xprt udp with 6 numbers", HEAD + " xprt: udp 1 2 3 4 5 6\n", 1, 1),
                Arguments.of("xprt without protocol", HEAD + " xprt:\n", 1, 1),
                Arguments.of("xprt of an unknown transport", HEAD + " xprt: tls 1 2 3 4 5 6 7 8 9 10\n", 1, 1),
                Arguments.of("device header cut short, its block is dropped",
                        "device srv:/x mounted on\n age: 5\n", 0, 1),
                Arguments.of("one bad line among good ones", HEAD + " age: 9\n bytes: 1\n xprt: udp 1 2 3 4 5 6 7\n"
                        + "per-op statistics\n READ: 1 1 0 0 0 0 0 0\n WRITE: x\n COMMIT: 2 2 0 0 0 0 0 0 0\n", 1, 2),
                Arguments.of("unknown lines are ignored", HEAD + " fsc: 0 1 2\n sunrpc-id: 4\n future: x y\n"
                        + "per-op statistics\n READ: 1 1 0 0 0 0 0 0\n lowercase: x\n ... all zeroes ...\n", 1, 0),
                Arguments.of("a 10th per-op number is ignored",
                        HEAD + "per-op statistics\n READ: 1 1 0 0 0 0 0 0 5 99\n", 1, 0),
                Arguments.of("other filesystems and their lines are ignored",
                        "device tmpfs mounted on /tmp with fstype tmpfs\n\ttimes: 1 2\n\trchar: x\n"
                                + "no device mounted on /y with fstype none\n age: x\n", 0, 0),
                Arguments.of("nfs header without statvers is not a stats block",
                        "device srv:/x mounted on /x with fstype nfs\n age: x\n", 0, 0),
                Arguments.of("empty text", "", 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void malformedAndUnknownLines_neverThrow(String name, String text, int mounts, int skipped) {
        Result r = MountStatsParser.parse(text);
        assertThat(r.mounts()).hasSize(mounts);
        assertThat(r.skipped()).isEqualTo(skipped);
    }

    @Test
    void oneBadLine_keepsTheRestOfTheBlock() {
        Result r = MountStatsParser.parse(HEAD + " age: 9\n bytes: 1\n xprt: udp 1 2 3 4 5 6 7\n"
                + "per-op statistics\n READ: 1 1 0 0 0 0 0 0\n WRITE: x\n COMMIT: 2 2 0 0 0 0 0 0 3\n");
        NfsMount m = r.mounts().get(0);
        assertThat(m.ageSeconds()).isEqualTo(9);
        assertThat(m.bytes()).isNull();
        assertThat(m.transport()).isEqualTo(new MountStatsParser.Transport("udp", 3, 4, 5, 6, 7, 0));
        assertThat(m.ops().keySet()).containsExactly("READ", "COMMIT");
        assertThat(m.ops().get("COMMIT").errors()).isEqualTo(3);
    }
}
