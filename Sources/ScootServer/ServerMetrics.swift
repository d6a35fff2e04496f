import Synchronization

/// Call counters and latency histograms of the server, read live by `/admin/metrics.json`.
/// Latencies keep the most recent `window` samples per name (Scoot resets its histograms every
/// 60 s instead; docs/deviations.md).
public final class ServerMetrics: Sendable {
    /// Summary statistics of one latency histogram, in milliseconds.
    public struct LatencySummary: Sendable {
        /// Samples recorded since start.
        public var count: Int
        /// Sum of all samples since start.
        public var sum: Double
        /// Smallest and largest sample in the window, and the mean since start.
        public var min, max, average: Double
        /// Percentiles of the window by name suffix: p50, p90, p95, p99, p999, p9999.
        public var percentiles: [(name: String, value: Double)]
    }

    private struct Histogram {
        var samples: [Double] = []
        var next = 0
        var count = 0
        var sum = 0.0

        mutating func record(_ milliseconds: Double, window: Int) {
            if samples.count < window {
                samples.append(milliseconds)
            } else {
                samples[next] = milliseconds
            }
            next = (next + 1) % window
            count += 1
            sum += milliseconds
        }
    }

    /// The counter and histogram names of one call (`<name>RpmCounter`, `<name>Latency_ms`),
    /// made once rather than at every call.
    public struct Call: Sendable {
        /// The counter's name.
        public let counter: String
        /// The latency histogram's name.
        public let latency: String

        /// The names of the call `name`.
        public init(_ name: String) {
            counter = "\(name)RpmCounter"
            latency = "\(name)Latency_ms"
        }
    }

    private struct State {
        var counters: [String: Int] = [:]
        var histograms: [String: Histogram] = [:]
    }

    /// How many recent samples each histogram keeps.
    public let window: Int
    private let state = Mutex(State())

    /// Creates empty metrics.
    public init(window: Int = 10_000) {
        self.window = window
    }

    /// Counts one call (`<name>RpmCounter`) and records its latency (`<name>Latency_ms`).
    public func recordCall(_ call: Call, latency: Duration) {
        let milliseconds = Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15
        let window = self.window
        state.withLock { state in
            state.counters[call.counter, default: 0] += 1
            state.histograms[call.latency, default: Histogram()].record(milliseconds, window: window)
        }
    }

    /// Adds one to a counter.
    public func increment(_ counter: String, by amount: Int = 1) {
        state.withLock { $0.counters[counter, default: 0] += amount }
    }

    /// Records a latency sample (in place: the window is not copied).
    public func record(_ name: String, milliseconds: Double) {
        let window = self.window
        state.withLock { $0.histograms[name, default: Histogram()].record(milliseconds, window: window) }
    }

    /// Every counter by name.
    public var counters: [String: Int] { state.withLock { $0.counters } }

    /// Every histogram's summary by name.
    public var latencies: [String: LatencySummary] {
        let histograms = state.withLock { $0.histograms }
        return histograms.mapValues { histogram in
            let sorted = histogram.samples.sorted()
            func percentile(_ fraction: Double) -> Double {
                sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
            }
            return LatencySummary(
                count: histogram.count, sum: histogram.sum, min: sorted.first ?? 0, max: sorted.last ?? 0,
                average: histogram.count == 0 ? 0 : histogram.sum / Double(histogram.count),
                percentiles: [("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("p999", 0.999), ("p9999", 0.9999)].map {
                    ($0.0, percentile($0.1))
                })
        }
    }
}
