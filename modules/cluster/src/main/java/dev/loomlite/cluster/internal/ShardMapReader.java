package dev.loomlite.cluster.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a {@link ShardMapFile} as a JSON tree and checks every rule of design §5, so that each error names the file and
 * the field (a reflective binding would name Java types instead). Runs once, on the starting thread.
 */
final class ShardMapReader {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final int MAX_SHARDS = 64;

    private final Path file;

    private ShardMapReader(Path file) {
        this.file = file;
    }

    static ShardMapFile read(Path file) {
        return new ShardMapReader(file).map(tree(file));
    }

    private static JsonNode tree(Path file) {
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("cluster map " + file + " must hold a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("cluster map " + file + " cannot be read as JSON: " + e.getMessage(), e);
        }
    }

    private ShardMapFile map(JsonNode root) {
        // The format first: a map of another format may well have fields this one does not know.
        long format = integer(root, "format");
        if (format != ShardMapFile.FORMAT) {
            throw fail("format", "must be " + ShardMapFile.FORMAT + ", was " + format);
        }
        fields(root, "", Set.of("format", "version", "shards", "nats", "nodes", "assignments"));
        long version = integer(root, "version");
        if (version < 1) {
            throw fail("version", "must be >= 1, was " + version);
        }
        long shards = integer(root, "shards");
        if (shards < 1 || shards > MAX_SHARDS) {
            throw fail("shards", "must be between 1 and " + MAX_SHARDS + ", was " + shards);
        }
        Map<String, ShardMapFile.Node> nodes = nodes(required(root, "nodes"));
        return new ShardMapFile(file, version, (int) shards, nats(required(root, "nats")), nodes,
                assignments(required(root, "assignments"), (int) shards, version, nodes));
    }

    private List<URI> nats(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            throw fail("nats", "must be a non-empty list of nats://host:port");
        }
        List<URI> servers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            servers.add(hostPort(list.get(i), "nats[" + i + "]", "nats"));
        }
        return servers;
    }

    private Map<String, ShardMapFile.Node> nodes(JsonNode object) {
        if (!object.isObject() || object.isEmpty()) {
            throw fail("nodes", "must be a non-empty object of node ids");
        }
        Map<String, ShardMapFile.Node> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String id = e.getKey();
            String field = "nodes." + id;
            if (!NODE_ID.matcher(id).matches()) {
                throw fail(field, "is not a node id: 1 to 32 characters of a-z, 0-9 and '-', starting with a letter"
                        + " or digit");
            }
            JsonNode node = e.getValue();
            if (!node.isObject()) {
                throw fail(field, "must be an object with \"internal\" and optionally \"public\"");
            }
            fields(node, field + ".", Set.of("internal", "public"));
            URI internal = hostPort(required(node, "internal", field + "."), field + ".internal", "http");
            Optional<URI> external = Optional.ofNullable(node.get("public"))
                    .map(p -> absolute(p, field + ".public"));
            nodes.put(id, new ShardMapFile.Node(id, internal, external));
        }
        return nodes;
    }

    private List<ShardMapFile.Assignment> assignments(JsonNode list, int shards, long version,
                                                      Map<String, ShardMapFile.Node> nodes) {
        if (!list.isArray()) {
            throw fail("assignments", "must be a list of {\"shard\",\"node\",\"since\"}");
        }
        ShardMapFile.Assignment[] byShard = new ShardMapFile.Assignment[shards];
        for (int i = 0; i < list.size(); i++) {
            String field = "assignments[" + i + "]";
            JsonNode a = list.get(i);
            if (!a.isObject()) {
                throw fail(field, "must be an object {\"shard\",\"node\",\"since\"}");
            }
            fields(a, field + ".", Set.of("shard", "node", "since"));
            long shard = integer(a, "shard", field + ".");
            if (shard < 0 || shard >= shards) {
                throw fail(field + ".shard", "must be between 0 and " + (shards - 1) + ", was " + shard);
            }
            if (byShard[(int) shard] != null) {
                throw fail(field + ".shard", "assigns shard " + shard + " a second time: every shard exactly once");
            }
            String node = text(required(a, "node", field + "."), field + ".node");
            if (!nodes.containsKey(node)) {
                throw fail(field + ".node", "names '" + node + "', which is not in nodes " + nodes.keySet());
            }
            long since = integer(a, "since", field + ".");
            if (since < 1 || since > version) {
                throw fail(field + ".since", "must be between 1 and the map's version " + version + ", was " + since);
            }
            byShard[(int) shard] = new ShardMapFile.Assignment((int) shard, node, since);
        }
        Set<Integer> missing = new TreeSet<>();
        for (int s = 0; s < shards; s++) {
            if (byShard[s] == null) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            throw fail("assignments", "misses shards " + missing + ": every shard of " + shards + " exactly once");
        }
        return List.of(byShard);
    }

    /** {@code scheme://host:port} and nothing more. */
    private URI hostPort(JsonNode value, String field, String scheme) {
        String shape = "must be " + scheme + "://host:port without a path";
        URI uri = uri(value, field, shape);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!scheme.equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1 || !bare) {
            throw fail(field, shape + ", was \"" + value.asText() + "\"");
        }
        return uri;
    }

    private URI absolute(JsonNode value, String field) {
        String shape = "must be an http:// or https:// address";
        URI uri = uri(value, field, shape);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw fail(field, shape + ", was \"" + value.asText() + "\"");
        }
        return uri;
    }

    private URI uri(JsonNode value, String field, String shape) {
        String text = text(value, field);
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw fail(field, shape + ", was \"" + text + "\"");
        }
    }

    private void fields(JsonNode object, String prefix, Set<String> known) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw fail(prefix + name, "is not a field of a format-1 map here (known: " + new TreeSet<>(known)
                        + ")");
            }
        }
    }

    private long integer(JsonNode object, String name) {
        return integer(object, name, "");
    }

    private long integer(JsonNode object, String name, String prefix) {
        JsonNode value = required(object, name, prefix);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw fail(prefix + name, "must be an integer, was " + value);
        }
        return value.longValue();
    }

    private String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw fail(field, "must be a string, was " + value);
        }
        return value.textValue();
    }

    private JsonNode required(JsonNode object, String name) {
        return required(object, name, "");
    }

    private JsonNode required(JsonNode object, String name, String prefix) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw fail(prefix + name, "is missing");
        }
        return value;
    }

    private IllegalArgumentException fail(String field, String problem) {
        return new IllegalArgumentException("cluster map " + file + ": " + field + " " + problem);
    }
}
