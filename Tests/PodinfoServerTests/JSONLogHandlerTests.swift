import Foundation
import Logging
import Testing

@testable import PodinfoServer

struct JSONLogHandlerTests {
    /// One zap-style JSON object per line: level, ts, caller, msg, then the fields (numbers stay numbers).
    @Test func writesZapProductionLines() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        var logger = Logger(label: "podinfo") { label in
            JSONLogHandler(label: label, level: .info, sink: LogSink(fileDescriptor: descriptors[1]))
        }
        logger[metadataKey: "component"] = "test"
        logger.debug("hidden below the level")
        logger.warning("Shutting down <now>", metadata: ["timeout": .stringConvertible(5), "addr": ":9898"])
        close(descriptors[1])
        let output = String(decoding: FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile(), as: UTF8.self)
        let lines = output.split(separator: "\n")
        try #require(lines.count == 1)
        let line = String(lines[0])
        #expect(line.hasPrefix(#"{"level":"warn","ts":""#))
        #expect(line.contains(#""caller":"PodinfoServerTests/JSONLogHandlerTests.swift:"#))
        #expect(
            line.hasSuffix(#""msg":"Shutting down \u003cnow\u003e","addr":":9898","component":"test","timeout":5}"#)
        )
        let timestamp = try #require(line.split(separator: "\"").dropFirst(7).first)
        #expect(timestamp.count == "2026-07-22T08:00:00.000Z".count && timestamp.hasSuffix("Z"))
        let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(json?["timeout"] as? Int == 5)
    }
}
