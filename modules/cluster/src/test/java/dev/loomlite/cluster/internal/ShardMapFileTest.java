package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardMapFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Version 2 of a 4-shard map of n1 and n2; shard 3 moved to n2 at version 2. */
    static ObjectNode valid() {
        ObjectNode map = JSON.createObjectNode().put("format", 1).put("version", 2).put("shards", 4);
        map.putArray("nats").add("nats://127.0.0.1:4222");
        ObjectNode nodes = map.putObject("nodes");
        nodes.putObject("n1").put("internal", "http://127.0.0.1:7171").put("public", "http://127.0.0.1:7070");
        nodes.putObject("n2").put("internal", "http://127.0.0.1:7172");
        ArrayNode assignments = map.putArray("assignments");
        for (int s = 0; s < 4; s++) {
            assignments.addObject().put("shard", s).put("node", s % 2 == 0 ? "n1" : "n2").put("since", s == 3 ? 2 : 1);
        }
        return map;
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("map.json"), text);
    }

    private static ObjectNode assignment(ObjectNode map, int index) {
        return (ObjectNode) map.get("assignments").get(index);
    }

    private static ObjectNode node(ObjectNode map, String id) {
        return (ObjectNode) map.get("nodes").get(id);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                broken("format", m -> m.put("format", 2), "format must be 1, was 2"),
                broken("format type", m -> m.put("format", "1"), "format must be an integer, was \"1\""),
                broken("format before fields", m -> m.put("format", 2).put("replicas", 3), "format must be 1, was 2"),
                broken("version", m -> m.put("version", 0), "version must be >= 1, was 0"),
                broken("missing version", m -> m.remove("version"), "version is missing"),
                broken("no shards", m -> m.put("shards", 0), "shards must be between 1 and 64, was 0"),
                broken("too many shards", m -> m.put("shards", 65), "shards must be between 1 and 64, was 65"),
                broken("unknown field", m -> m.put("colour", "red"), "colour is not a field of a format-1 map"),
                broken("empty nats", m -> m.putArray("nats"), "nats must be a non-empty list of nats://host:port"),
                broken("nats scheme", m -> m.putArray("nats").add("tls://127.0.0.1:4222"),
                        "nats[0] must be nats://host:port without a path, was \"tls://127.0.0.1:4222\""),
                broken("nats port", m -> m.putArray("nats").add("nats://127.0.0.1"),
                        "nats[0] must be nats://host:port without a path"),
                broken("no nodes", m -> m.putObject("nodes"), "nodes must be a non-empty object of node ids"),
                broken("node id", m -> ((ObjectNode) m.get("nodes")).putObject("N3").put("internal", "http://h:1"),
                        "nodes.N3 is not a node id"),
                broken("long node id", m -> ((ObjectNode) m.get("nodes")).putObject("n".repeat(33))
                        .put("internal", "http://h:1"), "nodes." + "n".repeat(33) + " is not a node id"),
                broken("internal path", m -> node(m, "n1").put("internal", "http://127.0.0.1:7171/x"),
                        "nodes.n1.internal must be http://host:port without a path"),
                broken("internal scheme", m -> node(m, "n1").put("internal", "https://127.0.0.1:7171"),
                        "nodes.n1.internal must be http://host:port without a path"),
                broken("missing internal", m -> node(m, "n2").remove("internal"), "nodes.n2.internal is missing"),
                broken("public scheme", m -> node(m, "n1").put("public", "ftp://h:21"),
                        "nodes.n1.public must be an http:// or https:// address, was \"ftp://h:21\""),
                broken("node field", m -> node(m, "n1").put("weight", 2), "nodes.n1.weight is not a field"),
                broken("shard range", m -> assignment(m, 0).put("shard", 4),
                        "assignments[0].shard must be between 0 and 3, was 4"),
                broken("shard twice", m -> assignment(m, 3).put("shard", 1),
                        "assignments[3].shard assigns shard 1 a second time"),
                broken("shard missing", m -> ((ArrayNode) m.get("assignments")).remove(2),
                        "assignments misses shards [2]"),
                broken("unknown owner", m -> assignment(m, 0).put("node", "n9"),
                        "assignments[0].node names 'n9', which is not in nodes [n1, n2]"),
                broken("since zero", m -> assignment(m, 1).put("since", 0),
                        "assignments[1].since must be between 1 and the map's version 2, was 0"),
                broken("since ahead", m -> assignment(m, 1).put("since", 3),
                        "assignments[1].since must be between 1 and the map's version 2, was 3"),
                broken("assignment field", m -> assignment(m, 2).put("weight", 1),
                        "assignments[2].weight is not a field"));
    }

    private static Arguments broken(String name, Consumer<ObjectNode> change, String message) {
        return Arguments.argumentSet(name, change, message);
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void an_invalid_map_is_refused_with_the_file_and_the_field(Consumer<ObjectNode> change, String message)
            throws IOException {
        ObjectNode map = valid();
        change.accept(map);
        Path file = write(map.toString());

        assertThatIllegalArgumentException().isThrownBy(() -> ShardMapFile.read(file))
                .withMessageStartingWith("cluster map " + file + ": " + message);
    }

    @Test
    void a_valid_map_gives_owners_versions_and_addresses() throws IOException {
        ShardMapFile map = ShardMapFile.read(write(valid().toString()));

        assertThat(map.version()).isEqualTo(2);
        assertThat(map.shards()).isEqualTo(4);
        assertThat(map.nats()).containsExactly(URI.create("nats://127.0.0.1:4222"));
        assertThat(map.nodes().keySet()).containsExactly("n1", "n2");
        assertThat(map.nodes().get("n1").internal()).isEqualTo(URI.create("http://127.0.0.1:7171"));
        assertThat(map.nodes().get("n1").external()).contains(URI.create("http://127.0.0.1:7070"));
        assertThat(map.nodes().get("n2").external()).isEmpty();
        assertThat(map.assignments()).extracting(ShardMapFile.Assignment::node).containsExactly("n1", "n2", "n1", "n2");
        assertThat(map.assignment(3).since()).isEqualTo(2);
    }

    @Test
    void assignments_may_come_in_any_order() throws IOException {
        ObjectNode map = valid();
        ArrayNode reversed = JSON.createArrayNode();
        for (int i = 3; i >= 0; i--) {
            reversed.add(map.get("assignments").get(i));
        }
        map.set("assignments", reversed);

        assertThat(ShardMapFile.read(write(map.toString())).assignment(1).node()).isEqualTo("n2");
    }

    @Test
    void a_file_that_is_not_json_is_refused_with_its_name() throws IOException {
        Path file = write("{\"format\": 1,");

        assertThatIllegalArgumentException().isThrownBy(() -> ShardMapFile.read(file))
                .withMessageStartingWith("cluster map " + file + " cannot be read as JSON");
    }

    @Test
    void a_missing_file_is_refused_with_its_name() {
        Path file = dir.resolve("absent.json");

        assertThatIllegalArgumentException().isThrownBy(() -> ShardMapFile.read(file))
                .withMessageStartingWith("cluster map " + file + " cannot be read");
    }

    @Test
    void a_duplicate_field_is_refused() throws IOException {
        Path file = write(valid().toString().replace("\"version\":2", "\"version\":2,\"version\":3"));

        assertThatIllegalArgumentException().isThrownBy(() -> ShardMapFile.read(file))
                .withMessageContaining("Duplicate field 'version'");
    }

    @Test
    void a_node_starting_with_another_shard_count_is_refused() throws IOException {
        Path file = write(valid().toString());
        ShardMapFile map = ShardMapFile.read(file);

        assertThatIllegalArgumentException().isThrownBy(() -> map.requireMember(12, "n1"))
                .withMessage("cluster map " + file + ": shards is 4 but this node runs with --shards 12: every node"
                        + " needs the same count");
    }

    @Test
    void a_node_missing_from_the_map_is_refused() throws IOException {
        Path file = write(valid().toString());
        ShardMapFile map = ShardMapFile.read(file);

        assertThatIllegalArgumentException().isThrownBy(() -> map.requireMember(4, "n3"))
                .withMessage("cluster map " + file + ": nodes has no node 'n3' (--node-id); it has [n1, n2]");
    }

    @Test
    void a_member_with_the_right_shard_count_is_accepted() throws IOException {
        ShardMapFile map = ShardMapFile.read(write(valid().toString()));

        assertThat(map.requireMember(4, "n2")).isSameAs(map);
    }
}
