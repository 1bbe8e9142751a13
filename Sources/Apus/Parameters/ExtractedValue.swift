/// A parameter returned `nil` without recording an error: a bug in that parameter type.
struct ParameterWithoutValue: Error, CustomStringConvertible {
    var description: String { "a request parameter produced no value and no validation error" }
}

@inline(__always)
func unwrapExtracted<Value>(_ value: Value?) throws -> Value {
    guard let value else { throw ParameterWithoutValue() }
    return value
}
