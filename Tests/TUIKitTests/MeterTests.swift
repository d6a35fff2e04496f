import Testing
@testable import TUIKit

@Suite struct MeterTests {
    @Test func meterWithTargetMarkerAt80Columns() {
        var buffer = Buffer(area: Rect(width: 80, height: 1))
        let meter = Meter(value: 30, maximum: 100, target: 50, label: "30/50 land")
        meter.render(into: &buffer, area: buffer.area)
        // The bar takes 80 - 11 = 69 columns: 21 filled (30 %), the marker at column 34 (50 %).
        let bar = String(repeating: "█", count: 21) + String(repeating: "░", count: 13) + "│" + String(repeating: "░", count: 34)
        #expect(buffer.lines() == [bar + " 30/50 land"])
        #expect(buffer[0, 0]?.role == .meterOK)
        #expect(buffer[21, 0]?.role == .meterEmpty)
        #expect(buffer[34, 0]?.role == .targetMarker)
    }

    @Test func thresholdsChooseRole() {
        #expect(Meter(value: 5, maximum: 10).fillRole == .meterOK)
        #expect(Meter(value: 8, maximum: 10).fillRole == .meterWarn)
        #expect(Meter(value: 12, maximum: 10, warnAt: 0.5, criticalAt: 1.1).fillRole == .meterCrit)
        #expect(Meter(value: 12, maximum: 10).ratio == 1)
        #expect(Meter(value: 3, maximum: 0).ratio == 0)
    }

    @Test func asciiFallbackAndInsideLabel() {
        var buffer = Buffer(area: Rect(width: 10, height: 1))
        Meter(value: 9, maximum: 10, target: 5, label: "90%", labelPlacement: .inside, characters: .ascii)
            .render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["90%##|###."])
        #expect(buffer[3, 0]?.role == .meterWarn)
    }

    @Test func sparkline() {
        var buffer = Buffer(area: Rect(width: 10, height: 1))
        Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["  ▁▂▃▄▅▆▇█"])
        var ascii = Buffer(area: Rect(width: 3, height: 1))
        Sparkline(values: [9, 0, 2, 4], maximum: 4, characters: .ascii).render(into: &ascii, area: ascii.area)
        #expect(ascii.lines() == ["_-#"])
    }
}
