public import Foundation

/// A date and time that keeps the UTC offset it was given, for APIs that must echo local
/// times: pydantic's `datetime` exactly as it round-trips (`"2024-03-01T10:00:00+02:00"` comes
/// back as written, `Z` as `Z`, a naive time without an offset). `Date` is an instant and is
/// always written in UTC; use `OffsetDateTime` when the offset is part of the data.
///
/// ```swift
/// @Model struct Meeting { var at: OffsetDateTime }
/// // {"at":"2024-03-01T10:00:00.5-05:30"} -> {"at":"2024-03-01T10:00:00.500000-05:30"}
/// ```
///
/// Read as pydantic reads a `datetime` (RFC 3339, a space or `T`, a bare date at midnight,
/// Unix time in UTC); fractions are kept to the microsecond, as pydantic keeps them.
public struct OffsetDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The wall-clock time as written.
    let wallClock: DateTimeParser.WallClock

    /// The moment it names (a time without an offset is taken as UTC).
    public var date: Date { self.wallClock.instant }

    /// Seconds east of UTC as given (`7200` for `+02:00`), `nil` for a time given without one.
    public var offset: Int? { self.wallClock.offset }

    /// `date` as the wall clock of `offset` shows it (`nil`: no offset written).
    public init(_ date: Date, offset: Int? = 0) {
        /// `value` divided by `divisor`, rounded down, and the non-negative remainder.
        func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
            let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
            return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
        }
        let local = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down)) + Int64(offset ?? 0) * 1_000_000
        let (seconds, micro) = floorDivision(local, 1_000_000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        self.wallClock = DateTimeParser.WallClock(
            days: Int(days), secondOfDay: Int(secondOfDay), microsecond: Int(micro), offset: offset)
    }

    init(wallClock: DateTimeParser.WallClock) {
        self.wallClock = wallClock
    }

    /// As pydantic writes it: `2024-03-01T10:00:00`, `.500000` when there is a fraction, then
    /// `Z` for UTC, `+02:00` for another offset, nothing for none.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let (year, month, day) = civilFromDays(self.wallClock.days)
        let second = self.wallClock.secondOfDay
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))"
        if self.wallClock.microsecond != 0 { text += "." + pad(self.wallClock.microsecond, 6) }
        switch self.wallClock.offset {
        case nil: break
        case 0?: text += "Z"
        case let offset?:
            let minutes = abs(offset) / 60
            text += (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
        }
        return text
    }

    /// pydantic's `datetime` from text.
    static func parse(_ text: String) throws(ValueIssue) -> OffsetDateTime {
        switch try DateTimeParser.parseText(text) {
        case .unixTime(let date): return OffsetDateTime(date, offset: 0)
        case .wallClock(let time): return OffsetDateTime(wallClock: time)
        }
    }
}

extension OffsetDateTime: ParameterValue {
    public init(parameterText text: String) throws(ValueIssue) {
        self = try Self.parse(text)
    }
}

extension OffsetDateTime: Codable {
    public init(from decoder: any Decoder) throws {
        self = try TextualValue.decode(from: decoder, Self.parse)
    }

    public func encode(to encoder: any Encoder) throws {
        try TextualValue.encode(self, to: encoder)
    }
}

extension OffsetDateTime: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "string", "format": "date-time"] }
}

extension LaxJSON {
    /// pydantic's lax `datetime` from JSON, keeping the offset: a string, or Unix time (UTC).
    static func offsetDateTime(_ value: JSONValue) -> Result<OffsetDateTime, ValueIssue> {
        TextualValue.lax(
            value, typeIssue: ValueIssue("datetime_type", "Input should be a valid datetime"), parse: OffsetDateTime.parse,
            unixTime: { OffsetDateTime($0, offset: 0) })
    }
}
