import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Prints a free loopback TCP port (run as a source-file program by the fault scripts). */
final class FreePort {
    public static void main(String[] args) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println(socket.getLocalPort());
        }
    }
}
