import Testing

@testable import LocalBackend
@testable import ObjectModel

/// The HPA controller's rules without a metrics API (kubernetes pkg/controller/podautoscaler/horizontal.go,
/// `reconcileAutoscaler`).
struct AutoscalerTests {
    static func spec(min: Int?, max: Int) -> HPASpec {
        HPASpec(
            scaleTargetRef: CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "podinfo"),
            minReplicas: min,
            maxReplicas: max
        )
    }

    @Test(
        "the count is clamped into [min, max]; zero stays zero (scaling disabled); in range nothing changes",
        arguments: [
            (current: 2, min: 4, max: 6, expected: 4 as Int?),
            (current: 7, min: 2, max: 4, expected: 4),
            (current: 0, min: 2, max: 4, expected: nil),
            (current: 3, min: 2, max: 4, expected: nil),
            (current: 1, min: nil, max: 4, expected: nil),
            (current: 0, min: 0, max: 4, expected: nil),
        ]
    )
    func desiredReplicas(current: Int, min: Int?, max: Int, expected: Int?) {
        #expect(AutoscalerController.desiredReplicas(current: current, spec: Self.spec(min: min, max: max)) == expected)
    }
}
