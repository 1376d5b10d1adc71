/**
 * The Loomlite browser chat page: static HTML, CSS and ES modules under {@code public/} in this jar.
 *
 * <p>{@code public} is not a legal package name, so the module system leaves those files readable by any
 * class loader lookup; the server serves them from the class path root {@link dev.loomlite.webclient.WebClient#ROOT}.
 * <pre>{@code
 * config.staticFiles.add(WebClient.ROOT, Location.CLASSPATH);
 * }</pre>
 */
module dev.loomlite.webclient {
    exports dev.loomlite.webclient;
}
