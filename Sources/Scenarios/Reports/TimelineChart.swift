import Foundation
import ObjectModel

/// An inline SVG chart of one canary over time: canary weight (%), success rate users saw (%) and mean latency
/// (ms, right axis), with Flagger's phases shaded behind. Each metric is one `<polyline data-metric="…">`.
public enum TimelineChart {
    /// The metrics drawn, in order, with their colours.
    public static let metrics: [(name: String, label: String, color: String)] = [
        ("canaryWeight", "canary weight %", "#1f77b4"),
        ("successRate", "success rate %", "#2ca02c"),
        ("latencyMs", "mean latency ms", "#d62728"),
    ]

    static let phaseColors: [String: String] = [
        "Initializing": "#eeeeee", "Initialized": "#e0e0e0", "Waiting": "#fff3c4", "Progressing": "#dbe9f7",
        "WaitingPromotion": "#fde2b8", "Promoting": "#d7f0d2", "Finalising": "#c8ebc0", "Succeeded": "#b5e3ab",
        "Failed": "#f6c1c1", "Terminating": "#e5d4f0", "Terminated": "#e5d4f0",
    ]

    public static func render(canary label: String, timeline: [CanaryObservation], traffic: [TrafficSample]) -> String {
        let width = 720.0
        let height = 240.0
        let left = 44.0
        let right = 56.0
        let top = 12.0
        let bottom = 28.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let end = max(1, (timeline.map(\.t) + traffic.map(\.t)).max() ?? 1)
        func x(_ t: Double) -> Double { left + plotWidth * min(max(t / end, 0), 1) }
        func yPercent(_ value: Double) -> Double { top + plotHeight * (1 - min(max(value / 100, 0), 1)) }

        var svg =
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        svg +=
            "width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(XMLText.escape(label))\">\n"

        // Phases, shaded, labelled when wide enough.
        for (index, observation) in timeline.enumerated() {
            if index > 0 && timeline[index - 1].phase == observation.phase { continue }
            let next = timeline[(index + 1)...].first { $0.phase != observation.phase }?.t ?? end
            let x0 = x(observation.t)
            let x1 = x(next)
            let color = phaseColors[observation.phase] ?? "#f0f0f0"
            svg +=
                "<rect class=\"phase\" data-phase=\"\(XMLText.escape(observation.phase))\" x=\(attr(x0)) y=\(attr(top)) "
            svg += "width=\(attr(max(x1 - x0, 0.5))) height=\(attr(plotHeight)) fill=\"\(color)\"/>\n"
            if x1 - x0 > 48 {
                svg += "<text x=\(attr(x0 + 3)) y=\(attr(top + 11)) font-size=\"9\" fill=\"#555\">"
                svg += "\(XMLText.escape(observation.phase))</text>\n"
            }
        }

        // Axes: 0-100 % on the left, latency on the right, time below.
        svg += "<g stroke=\"#999\" stroke-width=\"1\"><line x1=\(attr(left)) y1=\(attr(top)) x2=\(attr(left)) "
        svg += "y2=\(attr(top + plotHeight))/><line x1=\(attr(left)) y1=\(attr(top + plotHeight)) "
        svg += "x2=\(attr(left + plotWidth)) y2=\(attr(top + plotHeight))/></g>\n"
        for percent in stride(from: 0.0, through: 100, by: 25) {
            svg += "<text x=\(attr(left - 4)) y=\(attr(yPercent(percent) + 3)) font-size=\"9\" text-anchor=\"end\">"
            svg += "\(Int(percent))%</text>\n"
        }
        for tick in 0...4 {
            let t = end * Double(tick) / 4
            svg += "<text x=\(attr(x(t))) y=\(attr(height - 12)) font-size=\"9\" text-anchor=\"middle\">"
            svg += "\(TimelineFacts.format(t))s</text>\n"
        }

        // Canary weight: a step line.
        var weightPoints: [(Double, Double)] = []
        for observation in timeline {
            if let last = weightPoints.last { weightPoints.append((x(observation.t), last.1)) }
            weightPoints.append((x(observation.t), yPercent(Double(observation.canaryWeight))))
        }
        if let last = weightPoints.last { weightPoints.append((x(end), last.1)) }

        // Traffic per second: success rate and mean latency.
        var buckets: [Int: (ok: Int, total: Int, latency: Double)] = [:]
        for sample in traffic {
            let second = Int(sample.t.rounded(.down))
            var bucket = buckets[second] ?? (0, 0, 0)
            bucket.total += sample.count
            if !TrafficAssertions.isError(sample.status) { bucket.ok += sample.count }
            bucket.latency += sample.latencyMs * Double(sample.count)
            buckets[second] = bucket
        }
        let seconds = buckets.keys.sorted()
        let maxLatency = max(1, seconds.map { buckets[$0]!.latency / Double(max(buckets[$0]!.total, 1)) }.max() ?? 1)
        let latencyScale = niceCeiling(maxLatency)
        var successPoints: [(Double, Double)] = []
        var latencyPoints: [(Double, Double)] = []
        for second in seconds {
            let bucket = buckets[second]!
            let t = Double(second) + 0.5
            successPoints.append((x(t), yPercent(100 * Double(bucket.ok) / Double(max(bucket.total, 1)))))
            let mean = bucket.latency / Double(max(bucket.total, 1))
            latencyPoints.append((x(t), top + plotHeight * (1 - min(mean / latencyScale, 1))))
        }
        for tick in 0...2 {
            let value = latencyScale * Double(tick) / 2
            svg += "<text x=\(attr(left + plotWidth + 4)) y=\(attr(top + plotHeight * (1 - Double(tick) / 2) + 3)) "
            svg += "font-size=\"9\" fill=\"#d62728\">\(Int(value))ms</text>\n"
        }

        let series = [weightPoints, successPoints, latencyPoints]
        for (metric, points) in zip(metrics, series) {
            let text = points.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")
            svg += "<polyline class=\"series\" data-metric=\"\(metric.name)\" fill=\"none\" stroke=\"\(metric.color)\" "
            svg += "stroke-width=\"\(metric.name == "canaryWeight" ? 2 : 1.5)\" points=\"\(text)\"><title>"
            svg += "\(metric.label)</title></polyline>\n"
        }
        if traffic.isEmpty {
            svg += "<text x=\(attr(left + plotWidth / 2)) y=\(attr(top + plotHeight / 2)) font-size=\"11\" "
            svg += "text-anchor=\"middle\" fill=\"#777\">no traffic recorded</text>\n"
        }
        // Legend.
        for (index, metric) in metrics.enumerated() {
            let lx = left + Double(index) * 150
            svg += "<rect x=\(attr(lx)) y=\(attr(height - 9)) width=\"10\" height=\"3\" fill=\"\(metric.color)\"/>"
            svg += "<text x=\(attr(lx + 14)) y=\(attr(height - 5)) font-size=\"9\">\(metric.label)</text>\n"
        }
        svg += "</svg>"
        return svg
    }

    private static func attr(_ value: Double) -> String { "\"\(format(value))\"" }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// 1, 2, 5 × 10ⁿ at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }
}
