import Logging
import NIOCore
import NIOHTTP1
package import Tracing

/// The state shared by a route's parameters while they read one request: the request, the
/// query, cookies and body parsed once, and every validation error found so far.
///
/// A parameter type of your own reads its value here and reports what is wrong: a
/// validation error (``record(_:from:)``, listed in the one 422 with every other parameter's)
/// or a response that ends the request before the handler (``fail(with:)``, a security
/// scheme's 401).
///
/// ```swift
/// /// The `X-Tenant` header, which must name a known tenant.
/// struct TenantHeader: RequestParameter {
///     var info: ParameterInfo { ParameterInfo(location: .header, name: "x-tenant", isRequired: true) }
///     func extract(from context: ExtractionContext) -> String? {
///         guard let tenant = context.request.headers.first(name: "x-tenant") else {
///             context.record(
///                 ValidationErrorDetail(type: "missing", loc: ["header", "x-tenant"], msg: "Field required", input: .null),
///                 from: .header)
///             return nil
///         }
///         guard ["acme", "globex"].contains(tenant) else {
///             context.fail(with: HTTPError(.forbidden, detail: "Unknown tenant"))
///             return nil
///         }
///         return tenant
///     }
/// }
/// ```
public final class ExtractionContext {
    /// The request being read.
    public let request: Request
    /// Whether `Body` parameters read a member of a JSON object named after them (FastAPI's `embed`).
    package let embedBodies: Bool
    /// The errors by parameter list: the endpoint's (frame 0) and each dependency's, in the
    /// order the lists were read; see ``orderedErrors``. Made on first need (a request
    /// without dependencies or errors allocates nothing here).
    private var errorFrames: [ErrorFrame] = []
    /// The dependency frames being read, innermost last (empty: the endpoint's).
    private var openFrames: [Int] = []

    /// The index of the frame being read, made if needed.
    private func currentFrame() -> Int {
        if self.errorFrames.isEmpty { self.errorFrames.append(ErrorFrame()) }
        return self.openFrames.last ?? 0
    }
    private var queryItems: [(String, String)]?
    private var cookies: [(String, String)]?
    private var formFields: [(String, String)]?
    package var body: ParsedBody
    /// What dependencies and background tasks need.
    let services: RequestServices
    /// The request's dependency values, teardowns and background tasks, made on first need.
    private(set) var scope: RequestScope?
    /// What the handler or a dependency changes in the response (the `.response` parameter), made on first need.
    package private(set) var responseChanges: ResponseChanges?

    /// The request's ``ResponseChanges``, made now if needed.
    func requireResponseChanges() -> ResponseChanges {
        if let responseChanges { return responseChanges }
        let changes = ResponseChanges()
        self.responseChanges = changes
        return changes
    }

    /// A response that ends the request before any handler runs (a security scheme's 401).
    package private(set) var failure: HTTPError?
    /// The dependency work to run, in order (a dependency after its own dependencies).
    private(set) var steps: [(key: DependencyKey, step: DependencyStep)] = []
    private var stepKeys: Set<DependencyKey> = []
    /// The keys of the ``Depends`` of the parameter lists being read (handler, dependencies):
    /// each list's keys follow those of the lists enclosing it, and leave when it is read.
    private var frameKeys: [DependencyKey] = []
    /// The scopes required by the enclosing ``Security`` uses, outermost first.
    private(set) var securityScopes: [String] = []
    private var dependencyStack: [ObjectIdentifier] = []
    private var uncachedSerial = 0

    package init(request: Request, embedBodies: Bool, body: ParsedBody, services: RequestServices, tracer: (any Tracer)? = nil) {
        self.request = request
        self.embedBodies = embedBodies
        self.body = body
        self.services = services
        self.tracer = tracer
    }

    /// Where the request's work makes its child spans (dependencies, the handler, the
    /// encoding, background tasks): `nil` when it makes none.
    let tracer: (any Tracer)?

    var overrides: DependencyOverrides? { self.services.overrides }

    /// The request's scope, made now if needed.
    @discardableResult
    func requireScope() -> RequestScope {
        if let scope { return scope }
        let scope = RequestScope(
            pool: self.services.pool, logger: self.services.logger, tracker: self.services.tracker, instruments: self.services.instruments,
            tracer: self.tracer)
        self.scope = scope
        return scope
    }

    /// Ends the request with `error`'s response before the handler runs, whatever the other
    /// parameters found (a security scheme's 401 comes before any 422). The first failure wins.
    public func fail(with error: HTTPError) {
        if self.failure == nil { self.failure = error }
    }

    /// Whether the request can still run: no validation error and no failure.
    var isValid: Bool { !self.hasErrors && self.failure == nil }

    private var hasErrors = false

    /// Reads one parameter list; returns what `body` returned and the keys of the list's
    /// dependencies, or `nil` keys when the request cannot run.
    func extracting<T>(_ body: () -> T) -> (T, [DependencyKey]?) {
        let start = self.frameKeys.count
        let result = body()
        guard self.frameKeys.count > start else { return (result, self.isValid ? [] : nil) }
        let keys = Array(self.frameKeys[start...])
        self.frameKeys.removeSubrange(start...)
        return (result, self.isValid ? keys : nil)
    }

    func noteDependency(_ key: DependencyKey) { self.frameKeys.append(key) }

    func hasStep(for key: DependencyKey) -> Bool { self.stepKeys.contains(key) }

    func addStep(_ step: DependencyStep, for key: DependencyKey) {
        self.requireScope()
        self.stepKeys.insert(key)
        self.steps.append((key, step))
    }

    func nextUncachedSerial() -> Int {
        self.uncachedSerial += 1
        return self.uncachedSerial
    }

    func withSecurityScopes(_ scopes: [String], _ body: () -> Void) {
        let saved = self.securityScopes
        self.securityScopes += scopes.filter { !saved.contains($0) }
        body()
        self.securityScopes = saved
    }

    /// Marks `id` as being read; `false` (and a 500) when it is already being read: a cycle.
    func enterDependency(_ id: ObjectIdentifier, name: String) -> Bool {
        guard !self.dependencyStack.contains(id), self.dependencyStack.count < 64 else {
            self.services.logger.error("Dependency cycle through \(name) in \(self.request.method) \(self.request.path)")
            self.fail(with: HTTPError(.internalServerError, detail: "Internal Server Error"))
            return false
        }
        self.dependencyStack.append(id)
        let parent = self.currentFrame()
        self.errorFrames.append(ErrorFrame())
        let frame = self.errorFrames.count - 1
        self.errorFrames[parent].children.append(frame)
        self.openFrames.append(frame)
        return true
    }

    func leaveDependency() {
        self.dependencyStack.removeLast()
        self.openFrames.removeLast()
    }

    /// Records a validation error of a parameter read from `location`: the handler does not
    /// run and the request is answered with one 422 listing every error, ordered by location
    /// (path, query, header, cookie, body) as FastAPI orders them.
    public func record(_ detail: ValidationErrorDetail, from location: ParameterLocation) {
        self.errorFrames[self.currentFrame()].errors.append((location, detail))
        self.hasErrors = true
    }

    /// Records errors of a parameter read from `group`.
    package func record(_ details: [ValidationErrorDetail], group: ParameterLocation) {
        for detail in details { self.record(detail, from: group) }
    }

    /// The errors in FastAPI's order: each dependency's first (depth first, in the order they
    /// were declared: a dependency's own dependencies, then its path, query, header, cookie and
    /// body errors), then the endpoint's own, by location; within a location, in the order found.
    package var orderedErrors: [ValidationErrorDetail] {
        var result: [ValidationErrorDetail] = []
        guard !self.errorFrames.isEmpty else { return result }
        func walk(_ index: Int, depth: Int) {
            guard depth < 64 else { return }
            let frame = self.errorFrames[index]
            for child in frame.children { walk(child, depth: depth + 1) }
            let sorted = frame.errors.enumerated().sorted { lhs, rhs in
                lhs.element.group.order != rhs.element.group.order
                    ? lhs.element.group.order < rhs.element.group.order : lhs.offset < rhs.offset
            }
            result.append(contentsOf: sorted.map(\.element.detail))
        }
        walk(0, depth: 0)
        return result
    }

    /// Every value of the query key `name`, in order (`+` is a space, `%XX` decoded).
    public func queryValues(_ name: String) -> [String] {
        if self.queryItems == nil { self.queryItems = parseQuery(self.request.query) }
        var values: [String] = []
        for (key, value) in self.queryItems ?? [] where key == name { values.append(value) }
        return values
    }

    /// The query key `name`'s texts for a parameter: the last occurrence for a scalar, found
    /// without making a list, or every occurrence (`all`); `nil` when the key is absent.
    package func queryTexts(_ name: String, all: Bool) -> FoundTexts? {
        if all {
            let values = self.queryValues(name)
            return values.isEmpty ? nil : .every(values)
        }
        if self.queryItems == nil { self.queryItems = parseQuery(self.request.query) }
        guard let items = self.queryItems else { return nil }
        for (key, value) in items.reversed() where key == name { return .one(value) }
        return nil
    }

    /// The header `name`'s texts for a parameter: the first line for a scalar (as Starlette
    /// reads one), or every line (`all`); `nil` when absent.
    package func headerTexts(_ name: String, all: Bool) -> FoundTexts? {
        if all {
            let values = self.request.headers[name]
            return values.isEmpty ? nil : .every(values)
        }
        return self.request.headers.first(name: name).map(FoundTexts.one)
    }

    /// Every query item, in order.
    package func allQueryItems() -> [(String, String)] {
        if self.queryItems == nil { self.queryItems = parseQuery(self.request.query) }
        return self.queryItems ?? []
    }

    /// Every cookie, once per name (its last value), in order of first appearance.
    package func allCookies() -> [(String, String)] {
        if self.cookies == nil { self.cookies = parseCookies(self.request.headers) }
        var result: [(String, String)] = []
        for (name, value) in self.cookies ?? [] {
            if let index = result.firstIndex(where: { $0.0 == name }) { result[index].1 = value } else { result.append((name, value)) }
        }
        return result
    }

    /// The non-empty values of the form field `name`, from a urlencoded or multipart body
    /// (FastAPI treats an empty form field as absent).
    public func formValues(_ name: String) -> [String] {
        self.allFormFields().filter { $0.0 == name }.map(\.1)
    }

    /// Every non-empty field of a urlencoded or multipart body, in order.
    package func allFormFields() -> [(String, String)] {
        switch self.body {
        case .form(let form):
            return form.fields.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) }
        case .text(let text):
            if self.formFields == nil { self.formFields = parseQuery(text) }
            return (self.formFields ?? []).filter { !$0.1.isEmpty }
        case .absent, .json, .stream:
            return []
        }
    }

    /// The files of the multipart field `name`.
    package func uploads(_ name: String) -> [UploadFile] {
        if case .form(let form) = self.body { return form.uploads(name) }
        return []
    }

    /// The value of the cookie `name` (the last one when it repeats), as a list of zero or one.
    public func cookieValues(_ name: String) -> [String] {
        self.cookieValue(name).map { [$0] } ?? []
    }

    /// The value of the cookie `name`, the last one when it repeats.
    package func cookieValue(_ name: String) -> String? {
        if self.cookies == nil { self.cookies = parseCookies(self.request.headers) }
        for (key, value) in (self.cookies ?? []).reversed() where key == name { return value }
        return nil
    }
}

/// The validation errors of one parameter list (the endpoint's or a dependency's) and the
/// lists of the dependencies it declares.
private struct ErrorFrame {
    var errors: [(group: ParameterLocation, detail: ValidationErrorDetail)] = []
    var children: [Int] = []
}

/// Where a parameter is read from; also the order in which FastAPI lists errors.
public enum ParameterLocation: String, Sendable {
    case path, query, header, cookie, body
    /// Not read from the request's data (the request itself, a dependency...).
    case other

    var order: Int {
        switch self {
        case .path: return 0
        case .query: return 1
        case .header: return 2
        case .cookie: return 3
        case .body: return 4
        case .other: return 5
        }
    }
}

