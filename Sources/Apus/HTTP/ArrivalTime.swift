/// When a request's head arrived, stamped when the app measures or traces (``Telemetry``):
/// its duration and its span start there, not when its body was read.
package struct ArrivalTime: Sendable {
    /// Monotonic nanoseconds (`DispatchTime`), for durations.
    package let uptimeNanoseconds: UInt64
    /// Nanoseconds since 1970 on the wall clock, for the span's start.
    package let wallClockNanoseconds: UInt64

    package init(uptimeNanoseconds: UInt64, wallClockNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
        self.wallClockNanoseconds = wallClockNanoseconds
    }
}
