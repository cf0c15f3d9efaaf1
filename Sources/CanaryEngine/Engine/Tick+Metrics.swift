import ObjectModel

/// Metric verdicts of scheduler_metrics.go (spec/flagger.md §3.2, §3.3).
extension Tick {
    /// `runBuiltinMetricChecks`: `request-success-rate`, `request-duration` and inline queries, in spec order.
    mutating func runBuiltinMetricChecks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        for metric in engine.metrics {
            if metric.name == "request-success-rate" {
                guard await checkSuccessRate(metric, &inputs) else { return false }
            }
            if metric.name == "request-duration" {
                guard await checkDuration(metric, &inputs) else { return false }
            }
            if let query = metric.query, !query.isEmpty {
                guard await checkInlineQuery(metric, &inputs) else { return false }
            }
        }
        return true
    }

    /// `runMetricChecks`: template metrics in spec order; a metric with no usable source fails the check.
    mutating func runMetricChecks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        for metric in engine.metrics {
            if metric.templateRef != nil {
                guard await checkTemplate(metric, &inputs) else { return false }
            } else if !metric.isBuiltin && (metric.query ?? "").isEmpty {
                await event(
                    .warning,
                    "Metric query failed for no usable metrics template and query were configured",
                    &inputs
                )
                note("metric \(metric.name) has neither a builtin name, a query nor a templateRef")
                return false
            }
        }
        return true
    }

    private mutating func query<Inputs: TickInputs>(
        _ metric: CanaryMetric,
        _ kind: MetricCheckKind,
        _ inputs: inout Inputs
    ) async -> MetricResult? {
        actions.append(.queryMetric(name: metric.name, kind: kind))
        return await inputs.queryMetric(metric, kind: kind)
    }

    private mutating func checkSuccessRate<Inputs: TickInputs>(_ metric: CanaryMetric, _ inputs: inout Inputs) async
        -> Bool
    {
        let e = engine
        switch await query(metric, .requestSuccessRate, &inputs) {
        case nil:
            note("\(metric.name): passes")
            return true
        case .noValues:
            await event(
                .warning,
                "Halt advancement no values found for \(e.metricsProvider) metric \(metric.name) probably "
                    + "\(e.targetID) is not receiving traffic: running query failed: no values found",
                &inputs
            )
            return false
        case .error(let error):
            await event(.warning, "Prometheus query failed: \(error)", &inputs)
            return false
        case .value(let value):
            if let range = metric.thresholdRange {
                if let min = range.min, value < min {
                    return await halt("success rate \(GoFormat.twoDecimals(value))% < \(GoFormat.value(min))%", &inputs)
                }
                if let max = range.max, value > max {
                    return await halt("success rate \(GoFormat.twoDecimals(value))% > \(GoFormat.value(max))%", &inputs)
                }
            } else if let threshold = Optional(metric.threshold ?? 0), threshold > value {
                // Legacy `threshold` is a minimum for the success rate (Q8).
                return await halt(
                    "success rate \(GoFormat.twoDecimals(value))% < \(GoFormat.value(threshold))%",
                    &inputs
                )
            }
            note("\(metric.name) \(GoFormat.twoDecimals(value))%: passes")
            return true
        }
    }

    private mutating func checkDuration<Inputs: TickInputs>(_ metric: CanaryMetric, _ inputs: inout Inputs) async
        -> Bool
    {
        let e = engine
        switch await query(metric, .requestDuration, &inputs) {
        case nil:
            note("\(metric.name): passes")
            return true
        case .noValues:
            await event(
                .warning,
                "Halt advancement no values found for \(e.metricsProvider) metric \(metric.name) probably "
                    + "\(e.targetID) is not receiving traffic",
                &inputs
            )
            return false
        case .error(let error):
            await event(.warning, "Prometheus query failed: \(error)", &inputs)
            return false
        case .value(let value):
            // The observer returns time.Duration(int64(value)) * ms and bounds are converted the same way, so both
            // are whole milliseconds, truncated toward zero.
            let measured = Self.milliseconds(value)
            if let range = metric.thresholdRange {
                if let min = range.min, measured < Self.milliseconds(min) {
                    return await halt(
                        "request duration \(Self.duration(measured)) < \(Self.duration(Self.milliseconds(min)))",
                        &inputs
                    )
                }
                if let max = range.max, measured > Self.milliseconds(max) {
                    return await halt(
                        "request duration \(Self.duration(measured)) > \(Self.duration(Self.milliseconds(max)))",
                        &inputs
                    )
                }
            } else if measured > Self.milliseconds(metric.threshold ?? 0) {
                let bound = Self.duration(Self.milliseconds(metric.threshold ?? 0))
                return await halt("request duration \(Self.duration(measured)) > \(bound)", &inputs)
            }
            note("\(metric.name) \(Self.duration(measured)): passes")
            return true
        }
    }

    private mutating func checkInlineQuery<Inputs: TickInputs>(_ metric: CanaryMetric, _ inputs: inout Inputs) async
        -> Bool
    {
        switch await query(metric, .inlineQuery, &inputs) {
        case nil:
            note("\(metric.name): passes")
            return true
        case .noValues:
            await event(.warning, "Halt advancement no values found for metric: \(metric.name)", &inputs)
            return false
        case .error(let error):
            await event(.warning, "Prometheus query failed for \(metric.name): \(error)", &inputs)
            return false
        case .value(let value):
            return await checkCustom(metric, value, &inputs)
        }
    }

    private mutating func checkTemplate<Inputs: TickInputs>(_ metric: CanaryMetric, _ inputs: inout Inputs) async
        -> Bool
    {
        switch await query(metric, .template, &inputs) {
        case nil:
            note("\(metric.name): passes")
            return true
        case .noValues:
            await event(
                .warning,
                "Halt advancement no values found for custom metric: \(metric.name): no values found",
                &inputs
            )
            return false
        case .error(let error):
            await event(.warning, "Metric query failed for \(metric.name): \(error)", &inputs)
            return false
        case .value(let value):
            return await checkCustom(metric, value, &inputs)
        }
    }

    /// Inline and template metrics: inclusive range; legacy `threshold` is a maximum (Q8).
    private mutating func checkCustom<Inputs: TickInputs>(
        _ metric: CanaryMetric,
        _ value: Double,
        _ inputs: inout Inputs
    ) async -> Bool {
        let shown = GoFormat.twoDecimals(value)
        if let range = metric.thresholdRange {
            if let min = range.min, value < min {
                return await halt("\(metric.name) \(shown) < \(GoFormat.value(min))", &inputs)
            }
            if let max = range.max, value > max {
                return await halt("\(metric.name) \(shown) > \(GoFormat.value(max))", &inputs)
            }
        } else if value > (metric.threshold ?? 0) {
            return await halt("\(metric.name) \(shown) > \(GoFormat.value(metric.threshold ?? 0))", &inputs)
        }
        note("\(metric.name) \(shown): passes")
        return true
    }

    /// "Halt <name>.<ns> advancement <reason>" and a failed check.
    private mutating func halt<Inputs: TickInputs>(_ reason: String, _ inputs: inout Inputs) async -> Bool {
        await event(.warning, "Halt \(engine.canaryID) advancement \(reason)", &inputs)
        return false
    }

    /// Go's `time.Duration(x) * time.Millisecond` for a float64 `x`: truncated toward zero.
    static func milliseconds(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? Int64.max / 1_000_000 : Int64.min / 1_000_000 }
        let clamped = Swift.max(Swift.min(value, 9_000_000_000_000), -9_000_000_000_000)
        return Int64(clamped)
    }

    static func duration(_ milliseconds: Int64) -> String {
        GoFormat.duration(nanoseconds: milliseconds * 1_000_000)
    }
}
