using System.Net;
using FakeKubeApiServer.Selectors;

namespace FakeKubeApiServer.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["env"] = "prod", ["tier"] = "web", ["count"] = "5" };

    [Theory]
    [InlineData("", true)]
    [InlineData("env=prod", true)]
    [InlineData("env==prod", true)]
    [InlineData("env=stage", false)]
    [InlineData("env!=stage", true)]
    [InlineData("missing!=x", true)]
    [InlineData("env in (prod,stage)", true)]
    [InlineData("env in (stage)", false)]
    [InlineData("env notin (stage, dev)", true)]
    [InlineData("missing notin (x)", true)]
    [InlineData("env", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!env", false)]
    [InlineData("env=prod,tier=web", true)]
    [InlineData("env=prod, tier in (api)", false)]
    [InlineData("count>3", true)]
    [InlineData("count<3", false)]
    public void Matches_FollowsKubernetesSemantics(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Theory]
    [InlineData("env in (prod")]
    [InlineData("env=prod,")]
    [InlineData("bad key=x")]
    [InlineData("env=a b")]
    [InlineData("env foo (x)")]
    public void Parse_Invalid_Throws400(string selector)
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));

        Assert.Equal((int)HttpStatusCode.BadRequest, error.Code);
    }
}
