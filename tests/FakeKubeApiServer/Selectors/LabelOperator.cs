namespace FakeKubeApiServer.Selectors;

/// <summary>The operators of the label selector grammar (k8s.io/apimachinery/pkg/labels/selector.go).</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
