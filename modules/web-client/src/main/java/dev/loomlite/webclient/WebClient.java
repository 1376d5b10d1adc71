package dev.loomlite.webclient;

/**
 * Where the chat page's static files live inside this module.
 *
 * <pre>{@code
 * try (var in = WebClient.class.getResourceAsStream(WebClient.ROOT + "/index.html")) { ... }
 * }</pre>
 */
public final class WebClient {
    /** The class-path folder holding {@code index.html}, styles and ES modules. */
    public static final String ROOT = "/public";

    private WebClient() {
    }
}
