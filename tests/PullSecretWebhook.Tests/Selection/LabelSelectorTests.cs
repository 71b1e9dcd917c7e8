using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Tests.Selection;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Prod = new() { ["env"] = "prod", ["team"] = "a", ["tier"] = "3" };
    private static readonly Dictionary<string, string> Legacy = new() { ["env"] = "stage", ["legacy"] = "" };

    [Theory]
    [InlineData("", true, true)]
    [InlineData("env", true, true)]
    [InlineData("!legacy", true, false)]
    [InlineData("env=prod", true, false)]
    [InlineData("env==prod", true, false)]
    [InlineData("env!=prod", false, true)]
    [InlineData("team!=a", false, true)]
    [InlineData("env in (prod,stage),!legacy", true, false)]
    [InlineData("env in (prod, stage)", true, true)]
    [InlineData("env notin (prod)", false, true)]
    [InlineData("team notin (b)", true, true)]
    [InlineData("tier>2", true, false)]
    [InlineData("tier<2", false, false)]
    [InlineData("  env = prod ,  team  ", true, false)]
    [InlineData("example.com/owner", false, false)]
    [InlineData("legacy=", false, true)]
    public void Matches_FollowsKubernetesSemantics(string selector, bool matchesProd, bool matchesLegacy)
    {
        Assert.True(LabelSelector.TryParse(selector, out var parsed, out var problem), problem);

        Assert.Equal(matchesProd, parsed.Matches(Prod));
        Assert.Equal(matchesLegacy, parsed.Matches(Legacy));
    }

    [Theory]
    [InlineData("env in prod", "'('")]
    [InlineData("env in (prod", "')'")]
    [InlineData("env,", "missing after")]
    [InlineData("env prod", "operator")]
    [InlineData("Bad Key!", "operator")]
    [InlineData("-x=1", "not a valid label key")]
    [InlineData("env=pr od", "expected ','")]
    [InlineData("tier>x", "not a valid value")]
    [InlineData("env in ()", "not valid label values")]
    public void TryParse_Invalid_SaysWhy(string selector, string problemPart)
    {
        Assert.False(LabelSelector.TryParse(selector, out _, out var problem));
        Assert.Contains(problemPart, problem, StringComparison.Ordinal);
    }
}
