/// What a metric query returned (spec/flagger.md §3.3).
public enum MetricResult: Sendable, Hashable {
    /// A value in the metric's unit: percent for success rate, milliseconds for request duration.
    case value(Double)
    /// Empty result or NaN (`ErrNoValuesFound`).
    case noValues
    /// Any other failure (HTTP error, render error, missing template…), as its error text.
    case error(String)
}
