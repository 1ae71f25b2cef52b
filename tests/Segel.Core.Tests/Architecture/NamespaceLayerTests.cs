using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Segel.Core.Tests.Architecture;

/// <summary>
/// The core's namespaces form layers: each uses only those below it, so there are no loops between folders and a
/// feature can be read (and changed) without the ones above it. The graph is read from the compiled IL — signatures
/// and method bodies, including names reached through a parent namespace — not from <c>using</c> lines, which miss
/// those. docs/architecture.md draws the same order.
/// </summary>
public sealed class NamespaceLayerTests
{
    /// <summary>Bottom first. A namespace may use any namespace listed before it, never one after it.</summary>
    private static readonly string[] Layers =
    [
        "Segel.Core.Errors",
        "Segel.Core.Kernel",
        "Segel.Core.Privacy",
        "Segel.Core.SecureMail",
        "Segel.Core.Configuration",
        "Segel.Core.Storage",
        "Segel.Core.Storage.Migrations.Sqlite",
        "Segel.Core.Storage.Migrations.Postgres",
        "Segel.Core.Audit",
        "Segel.Core.Settings",
        "Segel.Core.Notifications",
        "Segel.Core.Ca",
        "Segel.Core.Recipients",
        "Segel.Core.Accounts",
        "Segel.Core.Custody",
        "Segel.Core.Lifecycle",
        "Segel.Core.Seals",
        "Segel.Core.Signing",
        "Segel.Core.Organization",
        "Segel.Core.Supervision",
        "Segel.Core.Operations",
        "Segel.Core",
    ];

    [Fact]
    public void Namespaces_form_layers_without_loops()
    {
        Dictionary<(string From, string To), string> edges = ReadGraph();
        string[] unplaced = [.. CoreNamespaces().Where(n => !Layers.Contains(n)).Order()];
        Assert.True(unplaced.Length == 0, $"namespaces with no place in the layer order (add them to {nameof(Layers)} and docs/architecture.md): {string.Join(", ", unplaced)}");

        string[] upward = [.. edges
            .Where(e => Array.IndexOf(Layers, e.Key.To) > Array.IndexOf(Layers, e.Key.From))
            .Select(e => $"{e.Key.From} uses {e.Key.To} ({e.Value})")
            .Order()];
        Assert.True(upward.Length == 0, "a namespace uses one above it, which makes a loop or breaks the layering:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void The_graph_is_read_from_method_bodies()
    {
        // Guards the reader itself: Enrollments reaches the holder-key vault only inside methods and constructors.
        Dictionary<(string From, string To), string> edges = ReadGraph();
        Assert.Contains(("Segel.Core.Lifecycle", "Segel.Core.Custody"), edges.Keys);
        Assert.Contains(("Segel.Core", "Segel.Core.Ca"), edges.Keys);
    }

    private static IEnumerable<string> CoreNamespaces()
    {
        using AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(typeof(SegelCa).Assembly.Location);
        return [.. assembly.MainModule.Types.Select(t => t.Namespace).Where(IsCore).Distinct()];
    }

    /// <summary>Every use of one core namespace by another, with one example (user → used) for the message.</summary>
    private static Dictionary<(string From, string To), string> ReadGraph()
    {
        using AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(typeof(SegelCa).Assembly.Location);
        var edges = new Dictionary<(string, string), string>();
        foreach (TypeDefinition type in assembly.MainModule.GetTypes())
        {
            string from = NamespaceOf(type);
            if (!IsCore(from))
            {
                continue;
            }

            foreach (TypeReference used in Uses(type).SelectMany(Parts))
            {
                string to = NamespaceOf(used);
                if (IsCore(to) && to != from)
                {
                    edges.TryAdd((from, to), $"{Name(type)} → {Name(used)}");
                }
            }
        }
        return edges;
    }

    private static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        if (type.BaseType is not null)
        {
            yield return type.BaseType;
        }

        foreach (InterfaceImplementation i in type.Interfaces)
        {
            yield return i.InterfaceType;
        }

        foreach (FieldDefinition field in type.Fields)
        {
            yield return field.FieldType;
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            yield return property.PropertyType;
        }

        foreach (MethodDefinition method in type.Methods)
        {
            yield return method.ReturnType;
            foreach (ParameterDefinition parameter in method.Parameters)
            {
                yield return parameter.ParameterType;
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (VariableDefinition variable in method.Body.Variables)
            {
                yield return variable.VariableType;
            }

            foreach (Instruction instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        yield return t;
                        break;
                    case MethodReference m:
                        yield return m.DeclaringType;
                        yield return m.ReturnType;
                        foreach (ParameterDefinition parameter in m.Parameters)
                        {
                            yield return parameter.ParameterType;
                        }

                        if (m is GenericInstanceMethod g)
                        {
                            foreach (TypeReference argument in g.GenericArguments)
                            {
                                yield return argument;
                            }
                        }

                        break;
                    case FieldReference f:
                        yield return f.DeclaringType;
                        yield return f.FieldType;
                        break;
                }
            }
        }
    }

    /// <summary>The types a reference names: an array's element, a generic type and each of its arguments.</summary>
    private static IEnumerable<TypeReference> Parts(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType g:
                foreach (TypeReference part in g.GenericArguments.Prepend(g.ElementType).SelectMany(Parts))
                {
                    yield return part;
                }

                break;
            case TypeSpecification s:
                foreach (TypeReference part in Parts(s.ElementType))
                {
                    yield return part;
                }

                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }

    /// <summary>The namespace a type is declared in; a nested type (a closure, a state machine) counts as its outer type's.</summary>
    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private static bool IsCore(string ns) => ns == "Segel.Core" || ns.StartsWith("Segel.Core.", StringComparison.Ordinal);

    private static string Name(TypeReference type) => type.DeclaringType is { } outer ? Name(outer) : type.Name;
}
