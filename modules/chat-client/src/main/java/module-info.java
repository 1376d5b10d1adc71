/**
 * The JVM client of the Loomlite chat server: {@link dev.loomlite.chat.client.Outbox} queues sends per room
 * with client-made ids, sends each room's head in order and retries it with the same id (a retry after a lost
 * reply is a replay, not a duplicate); {@link dev.loomlite.chat.client.HttpTransport} talks to the server's HTTP
 * API. It checks messages with the pipeline's {@link dev.loomlite.chat.InputRules} before queueing them.
 *
 * <pre>{@code
 * Transport http = HttpTransport.create(URI.create("http://localhost:7070"), HttpTransport.sessionCookie(token));
 * try (Outbox outbox = Outbox.open(http, event -> System.out.println(event))) {
 *     String clientId = outbox.enqueue("general", "hello");   // Queued now, Sent(messageId, seq) later
 * }
 * }</pre>
 */
module dev.loomlite.chat.client {
    // Transport.send returns dev.loomlite.chat.SendResult and TransportException is a ChatException: callers need them.
    requires transitive dev.loomlite.chat;
    // HttpTransport.create takes a java.net.http.HttpClient given by the caller.
    requires transitive java.net.http;

    exports dev.loomlite.chat.client;
}
