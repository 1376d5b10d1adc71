/**
 * The JVM client outbox: {@link dev.loomlite.chat.client.Outbox} queues sends per room with client-made ids,
 * sends each room's head in order, retries with backoff and reports {@link dev.loomlite.chat.client.OutboxEvent}s;
 * {@link dev.loomlite.chat.client.HttpTransport} talks to the Loomlite server's HTTP API.
 *
 * <pre>{@code
 * Transport http = HttpTransport.create(URI.create("http://localhost:8080"), "session=" + token);
 * try (Outbox outbox = Outbox.open(http, event -> System.out.println(event))) {
 *     String clientId = outbox.enqueue("general", "hello");
 * }
 * }</pre>
 */
package dev.loomlite.chat.client;
