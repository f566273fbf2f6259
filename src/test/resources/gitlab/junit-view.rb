#!/usr/bin/env ruby
# frozen_string_literal: true
#
# Prints, as JSON, what GitLab's test report shows for one JUnit XML file: the counts by status,
# each testcase's suite, classname, name, status, shown text and attachment, or the error that
# blanks the whole job's report.
#
# Usage: junit-view.rb FILE [--max-cases N]   (default 500,000, gitlab.com's limit)
#
# It parses the way GitLab does: Nokogiri with the "huge" option, then ActiveSupport's
# XML-to-hash conversion (the converter behind Hash.from_xml, type casts included). The rules on
# top are re-written here from reading GitLab's sources, not copied:
#   lib/gitlab/xml_converter.rb
#     https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/gitlab/xml_converter.rb
#     - a file larger than 30 megabytes is refused (MAX_XML_SIZE = 30.megabytes);
#     - any Nokogiri parse error is raised (so the whole report fails);
#     - the document becomes a hash (Nokogiri's to_hash from ActiveSupport's XmlMini), keys with
#       "-" become "_" (system-out -> system_out), then ActiveSupport::XMLConverter#to_h casts by
#       the "type" attribute and refuses type="yaml"/"symbol".
#   lib/gitlab/ci/parsers/test/junit.rb
#     https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/gitlab/ci/parsers/test/junit.rb
#     - only one top-level testsuites, testcases at any depth below it through nested testsuite;
#     - failure wins over error over skipped; the shown text of a failure or error is the
#       element's value, then "System Out:\n\n<out>" and "System Err:\n\n<err>", joined by
#       blank lines; a skipped case shows only the skipped element's value;
#     - failed and errored cases get the first [[ATTACHMENT|path]] of system-out as attachment
#       (ATTACHMENT_TAG_REGEX, path without [ ] |);
#     - more testcases than the job's limit (500,000 on gitlab.com) fail the whole report;
#     - any other exception while reading fails the whole report ("JUnit data parsing failed").
#   lib/gitlab/ci/reports/test_suite.rb and test_case.rb
#     - a case is keyed by "<suite>_<classname>_<name>" within its status: a repeat replaces the
#       earlier one; a report with an error counts 0 tests.
require 'json'
require 'nokogiri'
require 'active_support'
require 'active_support/core_ext/hash/conversions'
require 'active_support/core_ext/object/blank'
require 'active_support/xml_mini/nokogiri'

MAX_BYTES = 30 * 1024 * 1024
TAG = /\[\[ATTACHMENT\|(?<path>[^\[\]|]+?)\]\]/.freeze

# ActiveSupport's converter, fed with a document parsed like GitLab parses it.
class HugeConverter < ActiveSupport::XMLConverter
  def initialize(doc) # rubocop:disable Lint/MissingSuper
    @xml = normalize_keys(doc.to_hash)
    @disallowed_types = DISALLOWED_TYPES
  end
end

class View
  attr_reader :error, :cases, :parsed

  def initialize(max_cases)
    @max_cases = max_cases
    @cases = {} # status => { key => case }
    @parsed = 0
    @error = nil
  end

  def read(bytes)
    raise ArgumentError, 'The XML file must be less than 30 MB.' if bytes.bytesize > MAX_BYTES

    doc = Nokogiri::XML(bytes, &:huge)
    raise Nokogiri::XML::SyntaxError, doc.errors.first.to_s unless doc.errors.empty?

    tree = HugeConverter.new(doc).to_h
    walk(tree, nil)
  rescue Nokogiri::XML::SyntaxError => e
    @error = "JUnit XML parsing failed: #{e}"
  rescue StandardError => e
    @error = "JUnit data parsing failed: #{e}"
  end

  private

  def walk(tree, parent)
    return if tree.blank?

    [tree].flatten.compact.each do |node|
      next unless node.is_a?(Hash)

      walk(node['testsuites'], tree) if parent.nil?
      cases_of(node['testcase'], node['name']) unless parent.nil?
      walk(node['testsuite'], tree)
    end
  end

  def cases_of(list, suite)
    return if list.blank?

    [list].flatten.compact.each do |tc|
      raise TypeError, "testcase is a #{tc.class}, not an element with attributes" unless tc.is_a?(Hash)

      add(tc, suite)
    end
  end

  def add(tc, suite)
    status, shown, element = outcome(tc)
    attachment = %w[failed error].include?(status) ? attachment_of(tc['system_out']) : nil
    c = { 'suite' => suite, 'classname' => tc['classname'], 'name' => tc['name'],
          'status' => status, 'shown' => shown.is_a?(String) || shown.nil? ? shown : shown.to_s,
          'element_class' => element.class.name, 'attachment' => attachment, 'time' => tc['time'].to_f }
    (@cases[status] ||= {})["#{suite}_#{tc['classname']}_#{tc['name']}"] = c
    @parsed += 1
    raise "number of test cases exceeded the limit of #{@max_cases}" if @max_cases.positive? && @parsed > @max_cases
  end

  def outcome(tc)
    out = tc.key?('system_out') ? "System Out:\n\n#{tc['system_out']}" : nil
    err = tc.key?('system_err') ? "System Err:\n\n#{tc['system_err']}" : nil
    if tc.key?('failure') then ['failed', shown_with(tc['failure'], out, err), tc['failure']]
    elsif tc.key?('error') then ['error', shown_with(tc['error'], out, err), tc['error']]
    elsif tc.key?('skipped') then ['skipped', tc['skipped'], tc['skipped']]
    else ['success', nil, nil]
    end
  end

  # GitLab interpolates the element's value into a string: a Hash shows as its inspect form.
  def shown_with(value, out, err)
    [value, out, err].compact.join("\n\n")
  end

  def attachment_of(out)
    return nil if out.nil?
    raise NoMethodError, "system-out is a #{out.class}" unless out.is_a?(String)

    m = out.match(TAG)
    m && m[:path]
  end
end

file = ARGV[0] or abort('usage: junit-view.rb FILE [--max-cases N]')
max = ARGV.include?('--max-cases') ? Integer(ARGV[ARGV.index('--max-cases') + 1]) : 500_000
view = View.new(max)
view.read(File.binread(file))
statuses = %w[success failed error skipped]
counts = statuses.to_h { |s| [s, view.error ? 0 : (view.cases[s] || {}).size] }
result = { 'error' => view.error, 'counts' => counts, 'total' => counts.values.sum,
           'parsed' => view.parsed }
unless view.error
  result['cases'] = statuses.flat_map { |s| (view.cases[s] || {}).values }
end
puts JSON.generate(result)
