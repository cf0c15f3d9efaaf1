import ObjectModel
import Testing

/// The NGINX canary annotations are read by the local ingress (its nginx config) and the kind backend (the weight a
/// cluster applies), and written by the canary engine's router: one codec, so a weight means the same to all three.
struct NginxCanaryAnnotationsTests {
    static let p = NginxCanaryAnnotations.defaultPrefix

    @Test("every annotation ingress-nginx reads is decoded, empty values as absent")
    func decodes() {
        let decoded = NginxCanaryAnnotations([
            "\(Self.p)/canary": "true", "\(Self.p)/canary-weight": "30", "\(Self.p)/canary-weight-total": "200",
            "\(Self.p)/canary-by-header": "X-Canary", "\(Self.p)/canary-by-header-value": "insider",
            "\(Self.p)/canary-by-header-pattern": "", "\(Self.p)/canary-by-cookie": "beta",
            "kubernetes.io/ingress.class": "nginx",
        ])
        #expect(
            decoded
                == NginxCanaryAnnotations(
                    weight: 30,
                    weightTotal: 200,
                    byHeader: "X-Canary",
                    byHeaderValue: "insider",
                    byCookie: "beta"
                )
        )
        #expect(decoded.weightPercent == 15)
        let plain = NginxCanaryAnnotations(["kubernetes.io/ingress.class": "nginx"])
        #expect(!plain.isCanary)
        #expect(plain.weight == 0 && plain.weightTotal == 100 && !plain.hasHeaderRouting)
    }

    @Test(
        "a custom prefix (Flagger's -ingress-annotations-prefix) is read and written; the default one is then ignored"
    )
    func customPrefix() {
        let custom = "custom.ingress.kubernetes.io"
        let written = NginxCanaryAnnotations(weight: 40).annotations(prefix: custom)
        #expect(written == ["\(custom)/canary": "true", "\(custom)/canary-weight": "40"])
        #expect(NginxCanaryAnnotations(written, prefix: custom).weight == 40)
        #expect(!NginxCanaryAnnotations(written).isCanary)
    }

    @Test(
        "what is written reads back the same",
        arguments: [
            NginxCanaryAnnotations(),
            NginxCanaryAnnotations(weight: 100),
            NginxCanaryAnnotations(weight: 5, weightTotal: 1000),
            NginxCanaryAnnotations(weight: 0, byHeader: "x-user", byHeaderValue: "insider"),
            NginxCanaryAnnotations(byHeader: "x-user", byHeaderPattern: "^in.*"),
            NginxCanaryAnnotations(byCookie: "canary"),
        ]
    )
    func roundTrips(_ annotations: NginxCanaryAnnotations) {
        #expect(NginxCanaryAnnotations(annotations.annotations()) == annotations)
    }

    @Test("writing replaces stale canary keys and keeps the others")
    func mergesIntoOriginal() {
        let merged = NginxCanaryAnnotations(weight: 10).annotations(merging: [
            "\(Self.p)/canary-by-header": "x-old", "\(Self.p)/canary-weight": "90", "\(Self.p)/rewrite-target": "/",
        ])
        #expect(
            merged == [
                "\(Self.p)/canary": "true", "\(Self.p)/canary-weight": "10", "\(Self.p)/rewrite-target": "/",
            ]
        )
    }

    @Test(
        "the router weight: canary-weight, 100 under header or cookie routing, 0 for an Ingress that is no canary",
        arguments: [
            (["canary": "true", "canary-weight": "40"], 40),
            (["canary": "true", "canary-weight": "0"], 0),
            (["canary": "true", "canary-by-header": "x-canary", "canary-weight": "0"], 100),
            (["canary": "true", "canary-by-cookie": "canary"], 100),
            (["canary-weight": "40"], 0),
            (["canary": "false", "canary-weight": "40"], 0),
        ] as [([String: String], Int)]
    )
    func routerWeight(_ names: [String: String], _ expected: Int) {
        let annotations = Dictionary(uniqueKeysWithValues: names.map { ("\(Self.p)/\($0.key)", $0.value) })
        #expect(NginxCanaryAnnotations(annotations).routerWeight == expected)
    }
}
