//===- CalibrationStats.cpp - reader of the calibration stats file --------===//
//
// Reads the version-1 JSON file of `quant-run --calibrate`
// (docs/calibration.md). Every error names the file and the field, as a
// dotted path (`activations.conv1.histogram.counts[3]`), so a hand-edited
// or truncated file is easy to fix.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Analysis/Calibration.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <limits>

using namespace mlir::qnt;
namespace json = llvm::json;

namespace {
/// Reads fields of one file, turning every problem into an error that names
/// the file and the field's path.
class Reader {
public:
  explicit Reader(llvm::StringRef fileName) : fileName(fileName) {}

  llvm::Error error(const llvm::Twine &path, const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   fileName + ": " + path + ": " + message);
  }

  /// The member `key` of `object`, or an error if it is missing.
  llvm::Expected<const json::Value *> get(const json::Object &object,
                                          llvm::StringRef key,
                                          const llvm::Twine &path) {
    if (const json::Value *value = object.get(key))
      return value;
    return error(path, "missing");
  }

  llvm::Expected<const json::Object *> getObject(const json::Value &value,
                                                 const llvm::Twine &path) {
    if (const json::Object *object = value.getAsObject())
      return object;
    return error(path, "expected an object");
  }

  llvm::Expected<const json::Array *> getArray(const json::Value &value,
                                               const llvm::Twine &path) {
    if (const json::Array *array = value.getAsArray())
      return array;
    return error(path, "expected an array");
  }

  llvm::Expected<std::string> getString(const json::Value &value,
                                        const llvm::Twine &path) {
    if (std::optional<llvm::StringRef> string = value.getAsString())
      return string->str();
    return error(path, "expected a string");
  }

  llvm::Expected<uint64_t> getCount(const json::Value &value,
                                    const llvm::Twine &path) {
    if (std::optional<uint64_t> count = value.getAsUINT64())
      return *count;
    return error(path, "expected a non-negative integer");
  }

  llvm::Expected<int64_t> getInteger(const json::Value &value,
                                     const llvm::Twine &path) {
    if (std::optional<int64_t> integer = value.getAsInteger())
      return *integer;
    return error(path, "expected an integer");
  }

  /// A finite number.
  llvm::Expected<double> getFinite(const json::Value &value,
                                   const llvm::Twine &path) {
    std::optional<double> number = value.getAsNumber();
    if (number && std::isfinite(*number))
      return *number;
    return error(path, "expected a finite number");
  }

  /// A bound: a number, "inf" / "-inf", or null (no value seen).
  llvm::Expected<std::optional<double>> getBound(const json::Value &value,
                                                 const llvm::Twine &path) {
    if (value.kind() == json::Value::Null)
      return std::optional<double>();
    if (std::optional<double> number = value.getAsNumber())
      return std::optional<double>(*number);
    if (std::optional<llvm::StringRef> string = value.getAsString()) {
      constexpr double inf = std::numeric_limits<double>::infinity();
      if (*string == "inf")
        return std::optional<double>(inf);
      if (*string == "-inf")
        return std::optional<double>(-inf);
    }
    return error(path, "expected a number, \"inf\", \"-inf\" or null");
  }

  /// `min` and `max` members of `object`: both null, or min <= max.
  llvm::Error getBounds(const json::Object &object, const llvm::Twine &path,
                        std::optional<double> &min,
                        std::optional<double> &max) {
    std::string prefix = path.str();
    for (auto [key, bound] : {std::pair<const char *, std::optional<double> *>{
                                  "min", &min},
                              {"max", &max}}) {
      std::string field = prefix + "." + key;
      llvm::Expected<const json::Value *> value = get(object, key, field);
      if (!value)
        return value.takeError();
      llvm::Expected<std::optional<double>> parsed = getBound(**value, field);
      if (!parsed)
        return parsed.takeError();
      *bound = *parsed;
    }
    if (min.has_value() != max.has_value())
      return error(prefix, "min and max must both be null or both be set");
    if (min && !(*min <= *max))
      return error(prefix, "min is greater than max");
    return llvm::Error::success();
  }

  llvm::Expected<ActivationStats> readActivation(const json::Value &value,
                                                 const std::string &path);
  llvm::Expected<WeightStats> readWeight(const json::Value &value,
                                         const std::string &path);

private:
  std::string fileName;
};
} // namespace

llvm::Expected<ActivationStats>
Reader::readActivation(const json::Value &value, const std::string &path) {
  llvm::Expected<const json::Object *> object = getObject(value, path);
  if (!object)
    return object.takeError();
  ActivationStats stats;
  for (auto [key, field] : {std::pair<const char *, uint64_t *>{
                                "count", &stats.count},
                            {"nan_count", &stats.nanCount}}) {
    llvm::Expected<const json::Value *> member =
        get(**object, key, path + "." + key);
    if (!member)
      return member.takeError();
    llvm::Expected<uint64_t> count = getCount(**member, path + "." + key);
    if (!count)
      return count.takeError();
    *field = *count;
  }
  if (stats.nanCount > stats.count)
    return error(path + ".nan_count", "greater than count");
  if (llvm::Error error = getBounds(**object, path, stats.min, stats.max))
    return std::move(error);
  if (!stats.min && stats.count != stats.nanCount)
    return error(path, "null min/max although count - nan_count values "
                       "were seen");

  const json::Value *histogramValue = (*object)->get("histogram");
  if (!histogramValue)
    return stats;
  std::string histPath = path + ".histogram";
  llvm::Expected<const json::Object *> histObject =
      getObject(*histogramValue, histPath);
  if (!histObject)
    return histObject.takeError();
  Histogram histogram;
  for (auto [key, field] : {std::pair<const char *, double *>{
                                "min", &histogram.min},
                            {"max", &histogram.max}}) {
    llvm::Expected<const json::Value *> member =
        get(**histObject, key, histPath + "." + key);
    if (!member)
      return member.takeError();
    llvm::Expected<double> number = getFinite(**member, histPath + "." + key);
    if (!number)
      return number.takeError();
    *field = *number;
  }
  if (!(histogram.min <= histogram.max))
    return error(histPath, "min is greater than max");
  llvm::Expected<const json::Value *> binsValue =
      get(**histObject, "bins", histPath + ".bins");
  if (!binsValue)
    return binsValue.takeError();
  llvm::Expected<uint64_t> bins = getCount(**binsValue, histPath + ".bins");
  if (!bins)
    return bins.takeError();
  if (*bins == 0)
    return error(histPath + ".bins", "must be at least 1");
  llvm::Expected<const json::Value *> countsValue =
      get(**histObject, "counts", histPath + ".counts");
  if (!countsValue)
    return countsValue.takeError();
  llvm::Expected<const json::Array *> counts =
      getArray(**countsValue, histPath + ".counts");
  if (!counts)
    return counts.takeError();
  if ((*counts)->size() != *bins)
    return error(histPath + ".counts",
                 "has " + llvm::Twine((*counts)->size()) +
                     " entries, but bins is " + llvm::Twine(*bins));
  uint64_t total = 0;
  for (auto [index, entry] : llvm::enumerate(**counts)) {
    llvm::Expected<uint64_t> count = getCount(
        entry, histPath + ".counts[" + llvm::Twine(index) + "]");
    if (!count)
      return count.takeError();
    histogram.counts.push_back(*count);
    total += *count;
  }
  if (total != stats.count - stats.nanCount)
    return error(histPath + ".counts",
                 "sum to " + llvm::Twine(total) +
                     ", but count - nan_count is " +
                     llvm::Twine(stats.count - stats.nanCount));
  stats.histogram = std::move(histogram);
  return stats;
}

llvm::Expected<WeightStats> Reader::readWeight(const json::Value &value,
                                               const std::string &path) {
  llvm::Expected<const json::Object *> object = getObject(value, path);
  if (!object)
    return object.takeError();
  WeightStats stats;
  for (auto [key, field] : {std::pair<const char *, std::string *>{
                                "op", &stats.op},
                            {"layout", &stats.layout}}) {
    llvm::Expected<const json::Value *> member =
        get(**object, key, path + "." + key);
    if (!member)
      return member.takeError();
    llvm::Expected<std::string> string = getString(**member, path + "." + key);
    if (!string)
      return string.takeError();
    *field = std::move(*string);
  }

  llvm::Expected<const json::Value *> nanValue =
      get(**object, "nan_count", path + ".nan_count");
  if (!nanValue)
    return nanValue.takeError();
  llvm::Expected<uint64_t> nanCount =
      getCount(**nanValue, path + ".nan_count");
  if (!nanCount)
    return nanCount.takeError();
  stats.nanCount = *nanCount;

  llvm::Expected<const json::Value *> shapeValue =
      get(**object, "shape", path + ".shape");
  if (!shapeValue)
    return shapeValue.takeError();
  llvm::Expected<const json::Array *> shape =
      getArray(**shapeValue, path + ".shape");
  if (!shape)
    return shape.takeError();
  for (auto [index, entry] : llvm::enumerate(**shape)) {
    llvm::Expected<int64_t> dim =
        getInteger(entry, path + ".shape[" + llvm::Twine(index) + "]");
    if (!dim)
      return dim.takeError();
    if (*dim < 0)
      return error(path + ".shape[" + llvm::Twine(index) + "]",
                   "negative dimension");
    stats.shape.push_back(*dim);
  }

  llvm::Expected<const json::Value *> axisValue =
      get(**object, "axis", path + ".axis");
  if (!axisValue)
    return axisValue.takeError();
  llvm::Expected<int64_t> axis = getInteger(**axisValue, path + ".axis");
  if (!axis)
    return axis.takeError();
  if (*axis < 0 || *axis >= static_cast<int64_t>(stats.shape.size()))
    return error(path + ".axis", "not a dimension of shape");
  stats.axis = *axis;

  llvm::Expected<const json::Value *> perTensorValue =
      get(**object, "per_tensor", path + ".per_tensor");
  if (!perTensorValue)
    return perTensorValue.takeError();
  llvm::Expected<const json::Object *> perTensor =
      getObject(**perTensorValue, path + ".per_tensor");
  if (!perTensor)
    return perTensor.takeError();
  if (llvm::Error error =
          getBounds(**perTensor, path + ".per_tensor", stats.min, stats.max))
    return std::move(error);

  std::string channelPath = path + ".per_channel";
  llvm::Expected<const json::Value *> perChannelValue =
      get(**object, "per_channel", channelPath);
  if (!perChannelValue)
    return perChannelValue.takeError();
  llvm::Expected<const json::Object *> perChannel =
      getObject(**perChannelValue, channelPath);
  if (!perChannel)
    return perChannel.takeError();
  for (auto [key, field] :
       {std::pair<const char *, std::vector<std::optional<double>> *>{
            "min", &stats.channelMin},
        {"max", &stats.channelMax}}) {
    std::string fieldPath = channelPath + "." + key;
    llvm::Expected<const json::Value *> member =
        get(**perChannel, key, fieldPath);
    if (!member)
      return member.takeError();
    llvm::Expected<const json::Array *> array = getArray(**member, fieldPath);
    if (!array)
      return array.takeError();
    for (auto [index, entry] : llvm::enumerate(**array)) {
      llvm::Expected<std::optional<double>> bound =
          getBound(entry, fieldPath + "[" + llvm::Twine(index) + "]");
      if (!bound)
        return bound.takeError();
      field->push_back(*bound);
    }
  }
  if (stats.channelMin.size() != stats.channelMax.size())
    return error(channelPath, "min and max have different lengths");
  for (auto [index, bounds] :
       llvm::enumerate(llvm::zip(stats.channelMin, stats.channelMax))) {
    auto [low, high] = bounds;
    std::string channel = channelPath + "[" + std::to_string(index) + "]";
    if (low.has_value() != high.has_value())
      return error(channel, "min and max must both be null or both be set");
    if (low && !(*low <= *high))
      return error(channel, "min is greater than max");
  }
  return stats;
}

llvm::Expected<CalibrationStats>
CalibrationStats::parse(llvm::StringRef text, llvm::StringRef fileName) {
  Reader reader(fileName);
  llvm::Expected<json::Value> root = json::parse(text);
  if (!root)
    return reader.error("(file)", "invalid JSON: " +
                                      llvm::toString(root.takeError()));
  const json::Object *object = root->getAsObject();
  if (!object)
    return reader.error("(file)", "expected a JSON object");

  llvm::Expected<const json::Value *> version =
      reader.get(*object, "version", "version");
  if (!version)
    return version.takeError();
  std::optional<int64_t> versionNumber = (*version)->getAsInteger();
  if (!versionNumber)
    return reader.error("version", "expected an integer");
  if (*versionNumber != 1)
    return reader.error("version", "unsupported version " +
                                       llvm::Twine(*versionNumber) +
                                       " (this reader knows version 1)");

  CalibrationStats stats;
  for (auto [key, field] : {std::pair<const char *, std::string *>{
                                "model", &stats.model},
                            {"entry", &stats.entry}}) {
    const json::Value *value = object->get(key);
    if (!value)
      continue;
    llvm::Expected<std::string> string = reader.getString(*value, key);
    if (!string)
      return string.takeError();
    *field = std::move(*string);
  }
  if (const json::Value *dataset = object->get("dataset")) {
    llvm::Expected<const json::Object *> datasetObject =
        reader.getObject(*dataset, "dataset");
    if (!datasetObject)
      return datasetObject.takeError();
    if (const json::Value *samples = (*datasetObject)->get("samples")) {
      llvm::Expected<uint64_t> count =
          reader.getCount(*samples, "dataset.samples");
      if (!count)
        return count.takeError();
      stats.samples = *count;
    }
  }

  llvm::Expected<const json::Value *> activations =
      reader.get(*object, "activations", "activations");
  if (!activations)
    return activations.takeError();
  llvm::Expected<const json::Object *> activationObject =
      reader.getObject(**activations, "activations");
  if (!activationObject)
    return activationObject.takeError();
  for (const auto &[id, value] : **activationObject) {
    llvm::Expected<ActivationStats> entry =
        reader.readActivation(value, "activations." + id.str());
    if (!entry)
      return entry.takeError();
    stats.activations[id.str()] = std::move(*entry);
  }

  llvm::Expected<const json::Value *> weights =
      reader.get(*object, "weights", "weights");
  if (!weights)
    return weights.takeError();
  llvm::Expected<const json::Object *> weightObject =
      reader.getObject(**weights, "weights");
  if (!weightObject)
    return weightObject.takeError();
  for (const auto &[id, value] : **weightObject) {
    llvm::Expected<WeightStats> entry =
        reader.readWeight(value, "weights." + id.str());
    if (!entry)
      return entry.takeError();
    stats.weights[id.str()] = std::move(*entry);
  }
  return stats;
}

llvm::Expected<CalibrationStats>
CalibrationStats::readFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   path + ": cannot read the stats file: " +
                                       buffer.getError().message());
  return parse((*buffer)->getBuffer(), path);
}
