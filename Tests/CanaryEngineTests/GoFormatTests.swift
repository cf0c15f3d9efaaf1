import Testing

@testable import CanaryEngine

/// Go's `%v`, `%.2f` and `time.Duration` spellings, which appear verbatim in Flagger's event texts.
struct GoFormatTests {
    @Test(arguments: [
        (99.0, "99"), (99.5, "99.5"), (0.5, "0.5"), (0.1, "0.1"), (1e-05, "1e-05"), (0.0001, "0.0001"),
        (500000.0, "500000"), (1_000_000.0, "1e+06"), (1_234_567.0, "1.234567e+06"), (-2.0, "-2"), (0.0, "0"),
    ])
    func floatsPrintLikeGoPercentV(_ value: Double, _ expected: String) {
        #expect(GoFormat.value(value) == expected)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (600, "600ms"), (1_500, "1.5s"), (60_000, "1m0s"), (61_250, "1m1.25s"),
        (3_600_000, "1h0m0s"), (1, "1ms"),
    ])
    func millisecondsPrintLikeGoDurations(_ milliseconds: Int64, _ expected: String) {
        #expect(GoFormat.duration(nanoseconds: milliseconds * 1_000_000) == expected)
    }

    @Test func twoDecimalsRoundLikePrintf() {
        #expect(GoFormat.twoDecimals(98.994) == "98.99")
        #expect(GoFormat.twoDecimals(0.125) == "0.12")
        #expect(GoFormat.twoDecimals(100) == "100.00")
    }
}
