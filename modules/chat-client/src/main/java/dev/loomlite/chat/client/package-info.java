/**
 * The JVM client outbox: {@link dev.loomlite.chat.client.Outbox} queues sends per room with client-made ids,
 * sends each room's head in order, retries with backoff and reports {@link dev.loomlite.chat.client.OutboxEvent}s;
 * {@link dev.loomlite.chat.client.HttpTransport} talks to the Loomlite server's HTTP API with the session cookie
 * ({@code loomlite_session}) the server set on {@code POST /api/session}.
 *
 * <pre>{@code
 * Transport http = HttpTransport.create(URI.create("http://localhost:7070"), HttpTransport.sessionCookie(token));
 * try (Outbox outbox = Outbox.open(http, event -> System.out.println(event))) {
 *     String clientId = outbox.enqueue("general", "hello");
 * }
 * }</pre>
 */
package dev.loomlite.chat.client;
