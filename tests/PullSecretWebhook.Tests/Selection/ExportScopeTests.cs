using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Tests.Selection;

public sealed class ExportScopeTests
{
    [Theory]
    [InlineData(null, null, "team-a", true)]
    [InlineData("team-a,team-*", null, "team-b", true)]
    [InlineData("team-a,team-*", null, "teams", false)]
    [InlineData("team-a, batch", null, "batch", true)]
    [InlineData("*-prod", null, "shop-prod", true)]
    [InlineData("*-prod", null, "shop-prod-2", false)]
    [InlineData("", null, "team-a", false)]
    [InlineData(null, "env in (prod,stage),!legacy", "team-a", true)]
    [InlineData(null, "env=dev", "team-a", false)]
    [InlineData("team-*", "env=prod", "team-a", true)]
    [InlineData("other", "env=prod", "team-a", false)]
    public void Includes_RequiresNameAndSelectorToMatch(string? names, string? selector, string ns, bool expected)
    {
        var annotations = new Dictionary<string, string>();
        if (names is not null)
        {
            annotations[WellKnown.ToNamespacesAnnotation] = names;
        }

        if (selector is not null)
        {
            annotations[WellKnown.ToNamespaceSelectorAnnotation] = selector;
        }

        Assert.True(ExportScope.TryParse(annotations, out var scope, out var problem), problem);
        Assert.Equal(expected, scope.Includes(ns, new Dictionary<string, string> { ["env"] = "prod" }));
    }

    [Theory]
    [InlineData(WellKnown.ToNamespacesAnnotation, "Team_A")]
    [InlineData(WellKnown.ToNamespacesAnnotation, "team-[ab]")]
    [InlineData(WellKnown.ToNamespaceSelectorAnnotation, "env in prod")]
    public void TryParse_BadAnnotation_IsRejectedNamingIt(string annotation, string value)
    {
        Assert.False(ExportScope.TryParse(new Dictionary<string, string> { [annotation] = value }, out _, out var problem));
        Assert.StartsWith(annotation, problem, StringComparison.Ordinal);
    }
}
