internal import CLibcurl

/// One reusable easy handle of a load run; re-added to the multi handle for every request so its
/// connection stays alive.
final class LoadSlot {
    let easy: CurlEasy
    var headerList: UnsafeMutablePointer<curl_slist>?
    var due: ContinuousClock.Instant = .now
    var busy = false
    /// This request was sent again after its reused connection died before any answer (``LoadRunner``).
    var retried = false
    let keepsSample: Bool
    var sample: [UInt8] = []

    init(easy: CurlEasy, keepsSample: Bool) {
        self.easy = easy
        self.keepsSample = keepsSample
        if keepsSample { sample.reserveCapacity(LoadSpec.sampleLength) }
    }
}
