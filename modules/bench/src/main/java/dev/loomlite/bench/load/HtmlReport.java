package dev.loomlite.bench.load;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.html}: the summary, then inline SVG charts of rates, latency and server load over time (warm-up and
 * drain shaded) and a latency histogram. One file, no script and nothing fetched; the summary JSON is embedded too.
 */
final class HtmlReport {
    private static final int W = 900;
    private static final int H = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 36;

    private record Line(String name, String color, ToDoubleFunction<Summary.Second> value) {
    }

    private HtmlReport() {
    }

    static String html(Summary s, String json) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Loomlite load report</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px}")
                .append("svg{display:block;margin:12px 0}.ok{color:#176}.bad{color:#b00}</style></head><body>")
                .append("<h1>Loomlite end-to-end load</h1><p class=\"").append(s.verdict().ok() ? "ok" : "bad").append("\"><b>")
                .append(s.verdict().ok() ? "Verdict: OK" : "Verdict: FAILED").append("</b></p><pre>")
                .append(escape(Report.text(s).strip())).append("</pre>");
        List<Summary.Second> xs = s.series();
        int warm = s.options().warmupSeconds();
        int end = warm + s.options().durationSeconds();
        b.append(chart("Acknowledged messages per second", "msg/s", xs, warm, end,
                List.of(new Line("acks/s", "#1f77b4", x -> x.acks()))));
        b.append(chart("Deliveries per second (all subscribers)", "msg/s", xs, warm, end,
                List.of(new Line("deliveries/s", "#2ca02c", x -> x.deliveries()))));
        b.append(chart("Latency per second", "ms", xs, warm, end, List.of(
                new Line("ack p50", "#9ecae1", Summary.Second::ackP50),
                new Line("ack p99", "#1f77b4", Summary.Second::ackP99),
                new Line("delivery p50", "#a1d99b", Summary.Second::deliveryP50),
                new Line("delivery p99", "#2ca02c", Summary.Second::deliveryP99))));
        b.append(chart("Failed attempts and rejected messages per second", "count", xs, warm, end, List.of(
                new Line("failed attempts", "#ff7f0e", x -> x.attemptErrors()),
                new Line("rejected", "#d62728", x -> x.rejected()))));
        if (s.serverCpuPercent().isPresent()) {
            b.append(chart("CPU, % of one core", "%", xs, warm, end, List.of(
                    new Line("server", "#9467bd", Summary.Second::serverCpuPercent),
                    new Line("load tool", "#8c564b", Summary.Second::toolCpuPercent))));
            b.append(chart("Server RSS", "MiB", xs, warm, end,
                    List.of(new Line("RSS", "#9467bd", Summary.Second::serverRssMiB))));
        } else {
            b.append(chart("Load tool CPU, % of one core", "%", xs, warm, end,
                    List.of(new Line("load tool", "#8c564b", Summary.Second::toolCpuPercent))));
        }
        b.append(histogram(s.ackHistogram(), s.deliveryHistogram()));
        b.append("<details><summary>summary.json</summary><pre>").append(escape(json)).append("</pre></details>");
        return b.append("</body></html>\n").toString();
    }

    private static String chart(String title, String unit, List<Summary.Second> xs, int warm, int end, List<Line> lines) {
        int n = Math.max(1, xs.size());
        double max = 0;
        for (Line l : lines) {
            for (Summary.Second x : xs) {
                double v = l.value.applyAsDouble(x);
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = nice(max);
        StringBuilder b = svgStart(title);
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        b.append(rect(LEFT, TOP, pw * Math.min(warm, n) / n, ph, "#eee"));
        if (end < n) {
            b.append(rect(LEFT + pw * end / n, TOP, pw * (n - end) / n, ph, "#eee"));
        }
        axes(b, max, unit);
        for (int t = 0; t <= n; t += Math.max(1, n / 10)) {
            double x = LEFT + pw * t / n;
            b.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d s</text>", x, H - BOTTOM + 14, t));
        }
        int legend = LEFT + 8;
        for (Line l : lines) {
            StringBuilder pts = new StringBuilder();
            for (Summary.Second x : xs) {
                double v = l.value.applyAsDouble(x);
                if (!Double.isNaN(v)) {
                    pts.append(f("%.1f,%.1f ", LEFT + pw * (x.second() - 0.5) / n, TOP + ph - (max == 0 ? 0 : ph * v / max)));
                }
            }
            b.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>", l.color, pts));
            b.append(f("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    legend, TOP + 4, l.color, legend + 14, TOP + 13, escape(l.name)));
            legend += 14 + 7 * l.name.length() + 16;
        }
        return b.append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#777\">shaded: warm-up and drain (not in the summary)</text>",
                W - RIGHT - 290, H - 4)).append("</svg>").toString();
    }

    /** Both latency distributions of the measured seconds, 8 bins per power of two, on a log scale of time. */
    private static String histogram(Histogram ack, Histogram delivery) {
        int bins = Histogram.BUCKETS / 4;
        double[] a = bins(ack, bins);
        double[] d = bins(delivery, bins);
        int lo = bins;
        int hi = 0;
        double max = 0;
        for (int i = 0; i < bins; i++) {
            if (a[i] > 0 || d[i] > 0) {
                lo = Math.min(lo, i);
                hi = Math.max(hi, i);
                max = Math.max(max, Math.max(a[i], d[i]));
            }
        }
        StringBuilder b = svgStart("Latency histogram (measured seconds; share of samples per bin, log time axis)");
        if (lo > hi) {
            return b.append("<text x=\"80\" y=\"120\">no samples</text></svg>").toString();
        }
        max = nice(max * 100);
        axes(b, max, "%");
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        int span = hi - lo + 1;
        for (int i = lo; i <= hi + 1; i += Math.max(1, span / 8)) {
            double x = LEFT + pw * (i - lo) / span;
            b.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>", x, H - BOTTOM + 14,
                    micros(Histogram.lowest(Math.min(Histogram.BUCKETS - 1, i * 4)))));
        }
        String[] colors = {"#1f77b4", "#2ca02c"};
        String[] names = {"ack", "delivery"};
        double[][] all = {a, d};
        for (int k = 0; k < 2; k++) {
            StringBuilder pts = new StringBuilder();
            for (int i = lo; i <= hi; i++) {
                double y = TOP + ph - ph * all[k][i] * 100 / max;
                pts.append(f("%.1f,%.1f %.1f,%.1f ", LEFT + pw * (i - lo) / span, y, LEFT + pw * (i - lo + 1) / span, y));
            }
            b.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>", colors[k], pts));
            b.append(f("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    LEFT + 8 + 90 * k, TOP + 4, colors[k], LEFT + 22 + 90 * k, TOP + 13, names[k]));
        }
        return b.append("</svg>").toString();
    }

    private static double[] bins(Histogram h, int bins) {
        double[] out = new double[bins];
        long total = h.count();
        if (total == 0) {
            return out;
        }
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            out[Math.min(bins - 1, i / 4)] += (double) h.count(i) / total;
        }
        return out;
    }

    private static StringBuilder svgStart(String title) {
        return new StringBuilder(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                + "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>", W, H, W, H, LEFT, escape(title)));
    }

    private static void axes(StringBuilder b, double max, String unit) {
        double ph = H - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double y = TOP + ph - ph * i / 4;
            b.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y, W - RIGHT, y));
            b.append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    label(max * i / 4)));
        }
        b.append(f("<text x=\"12\" y=\"%d\" font-size=\"11\">%s</text>", TOP + 4, escape(unit)));
        b.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x, y, Math.max(0, w), h, fill);
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}. */
    static double nice(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String label(double v) {
        return v >= 10_000 ? f("%.0fk", v / 1000) : v >= 10 ? f("%.0f", v) : f("%.2f", v);
    }

    private static String micros(long us) {
        return us >= 1_000_000 ? f("%.1f s", us / 1e6) : us >= 1000 ? f("%.1f ms", us / 1e3) : us + " µs";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
