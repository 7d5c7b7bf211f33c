using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Topics;

public class TopicValidatorTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("a//b")]
    [InlineData("/finance")]
    [InlineData("finance/")]
    [InlineData("sport/tennis/player1")]
    [InlineData("$SYS/broker/clients")]
    [InlineData(" ")]
    [InlineData("ä/€/𝄞")]
    [InlineData("gridgov/v1/terminals/T000001/tasks")]
    public void Valid_topic_names(string topic) =>
        Assert.True(TopicValidator.ValidateTopicName(topic).IsValid, topic);

    [Theory]
    [InlineData("", TopicValidationError.Empty)]
    [InlineData("a/+", TopicValidationError.WildcardInTopicName)]
    [InlineData("a/#", TopicValidationError.WildcardInTopicName)]
    [InlineData("+", TopicValidationError.WildcardInTopicName)]
    [InlineData("a+b", TopicValidationError.WildcardInTopicName)]
    [InlineData("sport#", TopicValidationError.WildcardInTopicName)]
    [InlineData("a\0b", TopicValidationError.NullCharacter)]
    public void Invalid_topic_names(string topic, TopicValidationError expected)
    {
        var result = TopicValidator.ValidateTopicName(topic);
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    // Lone surrogates cannot live in attribute arguments (metadata is UTF-8), so these are built at run time.
    [Fact]
    public void Unpaired_surrogates_are_rejected()
    {
        string[] bad = ["a" + '\uD800' + "b", "a" + '\uDC00', '\uD800'.ToString(), "x/" + '\uDBFF', '\uDC00' + "\uD800"];
        foreach (var text in bad)
        {
            Assert.Equal(TopicValidationError.InvalidUtf16, TopicValidator.ValidateTopicName(text).Error);
            Assert.Equal(TopicValidationError.InvalidUtf16, TopicValidator.ValidateTopicFilter(text).Error);
        }

        Assert.True(TopicValidator.ValidateTopicName("\uD834\uDD1E").IsValid); // a proper pair
    }

    [Fact]
    public void Length_limit_counts_utf8_bytes_not_chars()
    {
        Assert.True(TopicValidator.ValidateTopicName(new string('a', 65535)).IsValid);
        Assert.Equal(TopicValidationError.TooLong, TopicValidator.ValidateTopicName(new string('a', 65536)).Error);

        // 'é' is 2 UTF-8 bytes: 32768 of them is 65536 bytes although only 32768 chars.
        Assert.True(TopicValidator.ValidateTopicName(new string('é', 32767)).IsValid);
        Assert.Equal(TopicValidationError.TooLong, TopicValidator.ValidateTopicName(new string('é', 32768)).Error);

        // '€' is 3 bytes: 21845 * 3 = 65535.
        Assert.True(TopicValidator.ValidateTopicName(new string('€', 21845)).IsValid);
        Assert.Equal(TopicValidationError.TooLong, TopicValidator.ValidateTopicFilter(new string('€', 21846)).Error);
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("+/+")]
    [InlineData("/+")]
    [InlineData("+/")]
    [InlineData("sport/#")]
    [InlineData("sport/tennis/#")]
    [InlineData("sport/+/player1")]
    [InlineData("+/tennis/#")]
    [InlineData("a//b")]
    [InlineData("$SYS/#")]
    [InlineData("$share")]
    [InlineData("$sharex/a/b")]
    [InlineData("$share/g/#")]
    [InlineData("$share/g/+/x")]
    [InlineData("$share/group-1/gridgov/v1/terminals/+/tasks")]
    [InlineData("$share/g/$SYS/#")]
    public void Valid_filters(string filter) =>
        Assert.True(TopicValidator.ValidateTopicFilter(filter).IsValid, filter);

    [Theory]
    [InlineData("", TopicValidationError.Empty)]
    [InlineData("sport/tennis#", TopicValidationError.InvalidMultiLevelWildcard)]
    [InlineData("sport/tennis/#/ranking", TopicValidationError.InvalidMultiLevelWildcard)]
    [InlineData("#/", TopicValidationError.InvalidMultiLevelWildcard)]
    [InlineData("##", TopicValidationError.InvalidMultiLevelWildcard)]
    [InlineData("a#", TopicValidationError.InvalidMultiLevelWildcard)]
    [InlineData("sport+", TopicValidationError.InvalidSingleLevelWildcard)]
    [InlineData("sport/+tennis", TopicValidationError.InvalidSingleLevelWildcard)]
    [InlineData("++", TopicValidationError.InvalidSingleLevelWildcard)]
    [InlineData("a\0", TopicValidationError.NullCharacter)]
    [InlineData("$share/", TopicValidationError.EmptyShareName)]
    [InlineData("$share//a", TopicValidationError.EmptyShareName)]
    [InlineData("$share/g", TopicValidationError.MissingSharedFilter)]
    [InlineData("$share/g/", TopicValidationError.MissingSharedFilter)]
    [InlineData("$share/g+/a", TopicValidationError.InvalidShareName)]
    [InlineData("$share/#/a", TopicValidationError.InvalidShareName)]
    [InlineData("$share/+", TopicValidationError.InvalidShareName)]
    [InlineData("$share/g/a#", TopicValidationError.InvalidMultiLevelWildcard)]
    [InlineData("$share/g/#/a", TopicValidationError.InvalidMultiLevelWildcard)]
    public void Invalid_filters(string filter, TopicValidationError expected)
    {
        var result = TopicValidator.ValidateTopicFilter(filter);
        Assert.Equal(expected, result.Error);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Share_prefix_is_a_plain_filter_when_shared_subscriptions_are_not_allowed()
    {
        // 3.1.1 has no shared subscriptions: "$share/g/a" is then an ordinary filter.
        Assert.True(TopicValidator.ValidateTopicFilter("$share/g", allowShared: false).IsValid);
        Assert.Equal(TopicValidationError.MissingSharedFilter, TopicValidator.ValidateTopicFilter("$share/g").Error);
    }

    [Fact]
    public void Split_shared_returns_share_name_and_inner_filter()
    {
        var result = TopicValidator.SplitShared("$share/consumers/gridgov/v1/#", out var name, out var inner);
        Assert.True(result.IsValid);
        Assert.Equal("consumers", name.ToString());
        Assert.Equal("gridgov/v1/#", inner.ToString());
    }

    [Fact]
    public void Max_levels_is_enforced_on_the_inner_filter()
    {
        Assert.True(TopicValidator.ValidateTopicFilter("a/b/c", maxLevels: 3).IsValid);
        Assert.Equal(TopicValidationError.TooManyLevels, TopicValidator.ValidateTopicFilter("a/b/c/d", maxLevels: 3).Error);
        Assert.True(TopicValidator.ValidateTopicFilter("$share/g/a/b/c", maxLevels: 3).IsValid);
        Assert.Equal(3, TopicValidator.CountLevels("a//"));
    }
}
