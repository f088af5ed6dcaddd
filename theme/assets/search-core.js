/* cloudpeds search core: the tokenizer (the same definition as plugins/cloudpeds/search/tokenizer.py
   (tests/fixtures/tokenizer-vectors.json holds the cases both must agree on).
   NFKC + lowercase; CJK runs → overlapping bigrams (one character: itself); numbers; Latin words
   (letter then letters/digits); °c, °f, %. Everything else separates. Never lunr's default
   trimmer, which deletes Chinese. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.cpTokenizer = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN = new RegExp("[" + CJK + "]+|[0-9]+(?:\\.[0-9]+)?|[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*|°[cf]|%", "g");
  var CJK_RUN = new RegExp("^[" + CJK + "]+$");
  var LATIN_WORD = /^[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*$/;

  function normalise(text) { return String(text).normalize("NFKC").toLowerCase(); }
  function isCjk(token) { return CJK_RUN.test(token); }

  function tokenize(text) {
    var tokens = [], match, piece, i;
    var string = normalise(text);
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(string)) !== null) {
      piece = match[0];
      if (isCjk(piece)) {
        if (piece.length === 1) tokens.push(piece);
        else for (i = 0; i < piece.length - 1; i++) tokens.push(piece.slice(i, i + 2));
      } else {
        tokens.push(piece);
      }
    }
    return tokens;
  }

  /* The query → clauses rule of plugins/cloudpeds/search/query.py. */
  function clauses(text) {
    var tokens = tokenize(text), out = [], last = tokens[tokens.length - 1];
    tokens.forEach(function (token) {
      if (isCjk(token) && token.length === 1) out.push({ term: token, wildcard: 2, usePipeline: false });
      else out.push({ term: token, usePipeline: true });
    });
    if (last && LATIN_WORD.test(last) && last.length >= 2) {
      out.push({ term: last, wildcard: 2, usePipeline: false, boost: 0.5 });
    }
    return out;
  }

  /* Registered under the name the lunr.py index was built with. */
  function register(lunr) {
    if (lunr.Pipeline.registeredFunctions.cpStem) return;
    var cpStem = function (token, i, tokens) {
      return LATIN_WORD.test(token.toString()) ? lunr.stemmer(token, i, tokens) : token;
    };
    lunr.Pipeline.registerFunction(cpStem, "cpStem");
  }

  /* The compact index format of plugins/cloudpeds/search/indexer.py → lunr's serialised index. */
  function expandIndex(compact) {
    var fields = compact.fields;
    var invertedIndex = compact.terms.map(function (entry) {
      var posting = { _index: entry[1] };
      fields.forEach(function (field) { posting[field] = {}; });
      for (var g = 2; g < entry.length; g++) {
        var group = entry[g], field = fields[group[0]];
        for (var r = 1; r < group.length; r++) posting[field][String(group[r])] = {};
      }
      return [entry[0], posting];
    });
    var fieldVectors = compact.vectors.map(function (v) { return [fields[v[1]] + "/" + v[0], v[2]]; });
    return { version: compact.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: invertedIndex, pipeline: compact.pipeline };
  }

  return { tokenize: tokenize, clauses: clauses, register: register, isCjk: isCjk, normalise: normalise,
    expandIndex: expandIndex };
});
