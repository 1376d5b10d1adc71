/**
 * The Javalin application behind {@link dev.loomlite.server.ChatServer}; not exported.
 *
 * <p>{@link dev.loomlite.server.internal.ServerImpl} wires it: routes in small classes
 * ({@code SessionRoutes}, {@code MessageRoutes}, {@code EventSocket}, {@code MetricsRoutes}), sessions that
 * expire and can be signed out ({@code SessionStore} over {@code SessionTokens}, {@code SessionCache} and
 * {@code SessionSchema}), per-key token buckets
 * ({@code RateLimiter}, keyed by user or by client address), what a request looks like to its client behind trusted
 * proxies ({@code TrustedProxies}, {@code ClientView}, {@code Cidr}), who may read metrics ({@code MetricsAccess}),
 * one JSON mapper and strict body reading ({@code Json}), one error mapping ({@code ErrorMapping},
 * {@code JsonErrorPages}), security headers set by Jetty on every response, and an ordered stop.
 * <pre>{@code
 * ServerImpl server = ServerImpl.start(config, Tuning.defaults().withWsSendTimeout(Duration.ofMillis(200)));
 * }</pre>
 */
package dev.loomlite.server.internal;
