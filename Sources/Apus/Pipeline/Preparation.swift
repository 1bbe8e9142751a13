import Tracing
import NIOCore

extension RequestPipeline {
    /// What reading a request's body and parameters gave.
    package enum Preparation {
        /// Every parameter is valid: the handler's work, ready to run.
        case run(Endpoint.Work)
        /// The validation errors, in FastAPI's order (a 422).
        case invalid([ValidationErrorDetail])
        /// The body could not be read at all (invalid JSON, not UTF-8), or a security scheme
        /// refused: the error the response is made from.
        case rejected(any Error)

        /// The error when the handler cannot run, for the app's error handlers (then its own response).
        var failure: (any Error)? {
            switch self {
            case .run: return nil
            case .invalid(let errors): return RequestValidationError(errors: errors)
            case .rejected(let error): return error
            }
        }
    }

    /// Reads the body (when the route has body parameters and the intake did not read it as
    /// it arrived: a form, a stream) and every parameter.
    /// `tracer` makes the child spans of the request's work (`nil`: none).
    func prepare(_ request: Request, received: ParsedBody?, route: Route, tracer: (any Tracer)? = nil) -> Preparation {
        let body: ParsedBody
        if let received {
            body = received
        } else if route.hasBody {
            switch Self.parseBody(request) {
            case .parsed(let parsed): body = parsed
            case .rejected(let error): return .rejected(error)
            }
        } else {
            body = .absent
        }
        let context = ExtractionContext(request: request, embedBodies: route.embedBodies, body: body, services: self.services, tracer: tracer)
        if let extras = route.extras {
            for dependency in extras.dependencies { _ = dependency.extract(from: context) }
        }
        let work = route.endpoint.prepare(context)
        if let failure = context.failure { return .rejected(failure) }
        guard let work else { return .invalid(context.orderedErrors) }
        return .run(work)
    }

    /// The body as parameters read it, or the response for a body that cannot be read.
    static func parseBody(_ request: Request) -> BodyParsing {
        guard let buffer = request.body, buffer.readableBytes > 0 else { return .parsed(.absent) }
        if isJSONContentType(request.headers.first(name: "content-type")) {
            do {
                let value = try buffer.withUnsafeReadableBytes { try JSONParser.parse($0) }
                return .parsed(.json(value))
            } catch let error as JSONSyntaxError {
                let detail = ValidationErrorDetail(
                    type: "json_invalid", loc: ["body", .index(error.characterOffset)], msg: "JSON decode error",
                    input: .object([]), ctx: ["error": .string(error.message)])
                return .rejected(RequestValidationError(errors: [detail]))
            } catch {
                return .rejected(HTTPError.unparsableBody)
            }
        }
        guard let text = buffer.withUnsafeReadableBytes({ (bytes: UnsafeRawBufferPointer) in UTF8Text.string(bytes) }) else {
            return .rejected(HTTPError.unparsableBody)
        }
        return .parsed(.text(text))
    }
}

/// A body ready for the parameters, or the response for one that cannot be read.
enum BodyParsing {
    case parsed(ParsedBody)
    case rejected(any Error)
}

extension HTTPError {
    /// A body that is not text at all (Starlette's 400).
    static let unparsableBody = HTTPError(.badRequest, detail: "There was an error parsing the body")
    static let notFound = HTTPError(.notFound, detail: "Not Found")
}
