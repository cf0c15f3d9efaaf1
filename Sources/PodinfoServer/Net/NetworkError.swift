/// A network failure, worded like Go's net errors so podinfo's messages keep their shape.
struct NetworkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
