package dev.loomlite.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's TCP table (Linux {@code /proc/net/tcp} and {@code tcp6}), for tests that must see whether the server
 * let go of a connection whose peer reads nothing: its closing handshake then waits behind unsent bytes, so the peer
 * notices nothing, but the socket the server closed is an orphan of the kernel (inode 0), no longer held by a process.
 */
final class TcpTable {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TcpTable() {
    }

    /** Whether a process still holds the socket of the connection from {@code localPort} to {@code remotePort}. */
    static boolean held(int localPort, int remotePort) throws IOException {
        for (Path table : TABLES) {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                if (port(fields[1]) == localPort && port(fields[2]) == remotePort && !fields[9].equals("0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
