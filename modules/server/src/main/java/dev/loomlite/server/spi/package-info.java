/**
 * The server's extension points for the optional cluster module ({@code dev.loomlite.cluster}), exported to it alone:
 * not an API for applications. See {@code docs/cluster-design.md} §10.
 *
 * <pre>{@code
 * String json = MessageCodec.write(message);   // the one message JSON of the API, the internal routes and NATS
 * }</pre>
 */
package dev.loomlite.server.spi;
