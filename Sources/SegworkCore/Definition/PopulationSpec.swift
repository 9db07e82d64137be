import Yams
import SegworkData

/// A population derived from a dataset's distinct ids instead of a customers file:
/// `population: { from: transactions, id: customer_id, date: order_date }`. Every distinct non-empty id of the
/// dataset (after its `clean:` steps) is one customer, in the order of its first appearance in the file.
public struct DerivedPopulation: Sendable, Equatable {
    /// The dataset whose distinct ids make the population.
    public var from: String
    /// A date column of that dataset: each customer's earliest and latest date become `first_purchase` and
    /// `last_purchase`. Nil: no dates.
    public var date: String?

    /// The date columns added to the customer table when `date` is set.
    public static let dateOutputs = ["first_purchase", "last_purchase"]
}

extension Definition {
    /// Every key of `population:` in its mapping form.
    package static let populationKeys = ["from", "id", "date"]

    /// Parses `population:`: a dataset name, or the mapping `{ from: <dataset>, id: <column>, date: <column> }`
    /// (then `population` is the `from` dataset and `id` may be given here instead of at the top level).
    static func parsePopulation(_ node: Node, _ y: YAMLFields, into def: inout Definition) throws {
        guard node.mapping != nil else {
            def.population = try y.string(node, "population")
            return
        }
        var derived = DerivedPopulation(from: "", date: nil)
        for (k, v) in try y.mapping(node, "population", known: populationKeys) {
            let value = try y.string(v, "population.\(k)")
            def.lines["population.\(k)"] = v.mark?.line
            switch k {
            case "from": derived.from = value
            case "id": def.populationID = value
            default: derived.date = value
            }
        }
        if derived.from.isEmpty {
            throw y.error(node, "'population' needs 'from: <dataset>' (the dataset whose distinct ids are the customers), e.g. population: { from: transactions, id: customer_id }")
        }
        def.population = derived.from
        def.derivedPopulation = derived
    }

    /// Settles `id` once the whole file is read: `population.id` and the top-level `id` must agree when both are
    /// given; a derived population may give it in either place.
    static func settleID(_ def: inout Definition, seen: Set<String>) throws {
        guard let inner = def.populationID else { return }
        if seen.contains("id"), def.id != inner {
            throw DefinitionError(file: def.file, line: def.line(of: "population.id"),
                                  "population.id is '\(inner)' but id is '\(def.id)'; give the id column once (either place)")
        }
        def.id = inner
    }
}
