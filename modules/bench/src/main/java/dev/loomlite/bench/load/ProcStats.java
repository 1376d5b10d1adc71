package dev.loomlite.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process from Linux's {@code /proc}: {@code utime + stime} of
 * {@code /proc/<pid>/stat} (in clock ticks of 10 ms, the kernel's {@code USER_HZ} on Linux) and {@code VmRSS} of
 * {@code /proc/<pid>/status}; and the tool's own CPU time from its JVM.
 */
final class ProcStats {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcStats() {
    }

    /** The process's CPU time in nanoseconds (10 ms resolution), or -1 when it cannot be read (gone, not Linux). */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK; // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process's resident set in bytes, or -1 when it cannot be read. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's CPU time in nanoseconds, or -1 when the platform does not say. */
    static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static boolean alive(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid), "stat"));
    }
}
