/**
 * JSON text that the chat engine and its JVM client both write: exported to {@code dev.loomlite.chat.client} alone
 * (a qualified export), so it is no API of the engine and the client keeps no copy of its own.
 *
 * <pre>{@code
 * StringBuilder body = new StringBuilder();
 * JsonStrings.append(body, "line one\nline two");     // "line one\nline two", escaped
 * }</pre>
 */
package dev.loomlite.chat.internal.json;
