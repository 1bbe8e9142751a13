import Foundation

/// pydantic's lax conversions from JSON values to Swift's primitive types.
enum LaxJSON {
    /// Converts `value` when `T` is a primitive (numbers, `Bool`, `String`, `Date`, `UUID`);
    /// `nil` when `T` is not one of them. Each bit cast is guarded by the identity check before
    /// it (`T` is that very type), which spares the runtime cast a `$0 as! T` would cost.
    static func primitive<T>(_ type: T.Type, from value: JSONValue) -> Result<T, ValueIssue>? {
        if T.self == String.self { return Self.string(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Int.self { return Self.integer(Int.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Double.self { return Self.double(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Bool.self { return Self.bool(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Float.self {
            return Self.double(value).flatMap { double in
                // A finite double can still be beyond Float's range.
                let float = Float(double)
                return float.isFinite ? .success(unsafeBitCast(float, to: T.self)) : .failure(.finiteNumber)
            }
        }
        if T.self == Int64.self { return Self.integer(Int64.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Int32.self { return Self.integer(Int32.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Int16.self { return Self.integer(Int16.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Int8.self { return Self.integer(Int8.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == UInt.self { return Self.integer(UInt.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == UInt64.self { return Self.integer(UInt64.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == UInt32.self { return Self.integer(UInt32.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == UInt16.self { return Self.integer(UInt16.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == UInt8.self { return Self.integer(UInt8.self, value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == UUID.self { return Self.uuid(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Date.self { return Self.date(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Decimal.self { return Self.decimal(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == Data.self { return Self.data(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == CalendarDate.self { return Self.calendarDate(value).map { unsafeBitCast($0, to: T.self) } }
        if T.self == OffsetDateTime.self { return Self.offsetDateTime(value).map { unsafeBitCast($0, to: T.self) } }
        return nil
    }

    /// The types ``primitive(_:from:)`` converts.
    private static let primitiveTypes: Set<ObjectIdentifier> = [
        ObjectIdentifier(String.self), ObjectIdentifier(Int.self), ObjectIdentifier(Double.self),
        ObjectIdentifier(Bool.self), ObjectIdentifier(Float.self), ObjectIdentifier(Int64.self),
        ObjectIdentifier(Int32.self), ObjectIdentifier(Int16.self), ObjectIdentifier(Int8.self),
        ObjectIdentifier(UInt.self), ObjectIdentifier(UInt64.self), ObjectIdentifier(UInt32.self),
        ObjectIdentifier(UInt16.self), ObjectIdentifier(UInt8.self), ObjectIdentifier(UUID.self),
        ObjectIdentifier(Date.self), ObjectIdentifier(Decimal.self), ObjectIdentifier(Data.self),
        ObjectIdentifier(CalendarDate.self), ObjectIdentifier(OffsetDateTime.self),
    ]

    /// Whether ``primitive(_:from:)`` converts `T` (a hash of the type's identity, no generic code).
    static func isPrimitive<T>(_ type: T.Type) -> Bool { Self.primitiveTypes.contains(ObjectIdentifier(T.self)) }

    /// The placeholder used after an error, for primitive types.
    static func placeholder<T>(_ type: T.Type) -> T? {
        switch T.self {
        case is String.Type: return "" as? T
        case is Bool.Type: return false as? T
        case is Double.Type: return 0.0 as? T
        case is Float.Type: return Float(0) as? T
        case is Int.Type: return 0 as? T
        case is Int64.Type: return Int64(0) as? T
        case is Int32.Type: return Int32(0) as? T
        case is Int16.Type: return Int16(0) as? T
        case is Int8.Type: return Int8(0) as? T
        case is UInt.Type: return UInt(0) as? T
        case is UInt64.Type: return UInt64(0) as? T
        case is UInt32.Type: return UInt32(0) as? T
        case is UInt16.Type: return UInt16(0) as? T
        case is UInt8.Type: return UInt8(0) as? T
        case is UUID.Type: return UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) as? T
        case is Date.Type: return Date(timeIntervalSince1970: 0) as? T
        case is Decimal.Type: return Decimal(0) as? T
        case is Data.Type: return Data() as? T
        case is CalendarDate.Type: return CalendarDate(year: 1970, month: 1, day: 1) as? T
        case is OffsetDateTime.Type: return OffsetDateTime(Date(timeIntervalSince1970: 0)) as? T
        default: return nil
        }
    }

    static func string(_ value: JSONValue) -> Result<String, ValueIssue> {
        guard case .string(let string) = value else { return .failure(.stringType) }
        return .success(string)
    }

    static func bool(_ value: JSONValue) -> Result<Bool, ValueIssue> {
        switch value {
        case .bool(let bool): return .success(bool)
        case .int(let int):
            return int == 0 || int == 1 ? .success(int == 1) : .failure(.boolParsing)
        case .double(let double):
            if double == 0 || double == 1 { return .success(double == 1) }
            return .failure(double == double.rounded() ? .boolParsing : .boolType)
        case .string(let text):
            do { return .success(try Bool(parameterText: text)) } catch { return .failure(error) }
        default: return .failure(.boolType)
        }
    }

    /// A finite number: JSON's `1e999999` (or a 400-digit number) parses as infinity, which
    /// could not be sent back; pydantic's `finite_number` (`allow_inf_nan=False`) refuses it.
    static func double(_ value: JSONValue) -> Result<Double, ValueIssue> {
        switch value {
        case .int(let int): return .success(Double(int))
        case .double(let double): return double.isFinite ? .success(double) : .failure(.finiteNumber)
        case .bool(let bool): return .success(bool ? 1 : 0)
        case .string(let text):
            guard let double = parseLaxDouble(text) else { return .failure(.floatParsing) }
            return double.isFinite ? .success(double) : .failure(.finiteNumber)
        default: return .failure(.floatType)
        }
    }

    static func integer<I: FixedWidthInteger & ParameterValue>(_ type: I.Type, _ value: JSONValue) -> Result<I, ValueIssue> {
        switch value {
        case .int(let int):
            return Self.fitting(I.self, Double(int), exact: I(exactly: int))
        case .double(let double):
            guard double.isFinite else { return .failure(.finiteNumber) }
            guard double == double.rounded() else { return .failure(.intFromFloat) }
            return Self.fitting(I.self, double, exact: I(exactly: double))
        case .bool(let bool): return .success(bool ? 1 : 0)
        case .string(let text):
            do { return .success(try I(parameterText: text)) } catch { return .failure(error) }
        default: return .failure(.intType)
        }
    }

    private static func fitting<I: FixedWidthInteger>(_ type: I.Type, _ value: Double, exact: I?) -> Result<I, ValueIssue> {
        if let exact { return .success(exact) }
        if value < 0 {
            return .failure(
                ValueIssue(
                    "greater_than_equal", "Input should be greater than or equal to \(I.min)",
                    ctx: ["ge": .int(Int64(clamping: I.min))]))
        }
        return .failure(
            ValueIssue("less_than_equal", "Input should be less than or equal to \(I.max)", ctx: ["le": .int(Int64(clamping: I.max))]))
    }

    static func uuid(_ value: JSONValue) -> Result<UUID, ValueIssue> {
        guard case .string(let text) = value else { return .failure(ValueIssue("uuid_type", "UUID input should be a string, bytes or UUID object")) }
        do { return .success(try UUID(parameterText: text)) } catch { return .failure(error) }
    }

    static func date(_ value: JSONValue) -> Result<Date, ValueIssue> {
        switch value {
        case .string(let text):
            do { return .success(try DateTimeParser.parse(text)) } catch { return .failure(error) }
        case .int(let int):
            return DateTimeParser.date(unixTime: Double(int))
        case .double(let double) where double.isFinite:
            return DateTimeParser.date(unixTime: double)
        default:
            return .failure(ValueIssue("datetime_type", "Input should be a valid datetime"))
        }
    }
}
