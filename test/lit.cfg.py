# -*- Python -*-
# lit configuration of the QuantMLIR regression tests.

import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QuantMLIR"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantmlir_obj_root, "test")
# Unit/ is its own suite; Inputs/ hold files that RUN lines read.
config.excludes = ["Inputs", "Unit", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%mlir_lib_dir", config.llvm_lib_dir))
config.substitutions.append(("%quant_lib_dir", config.quantmlir_lib_dir))
config.substitutions.append(("%quant_src_root", config.quantmlir_src_root))
config.substitutions.append(("%quant_obj_root", config.quantmlir_obj_root))
config.substitutions.append(("%cmake_generator", config.cmake_generator))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%mlir_cmake_dir", config.mlir_cmake_dir))
# Extra arguments for configuring a small CMake project outside the tree
# (test/tools/install): the build's make program, ccache and LLVM 22's lld
# when available (the consumer's compile and link dominate that test).
consumer_cmake_args = []
if ("clang" in os.path.basename(config.cxx_compiler)
        and os.path.exists(os.path.join(config.llvm_tools_dir, "ld.lld"))):
    consumer_cmake_args.append("-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld")
if getattr(config, "cmake_make_program", ""):
    consumer_cmake_args.append("-DCMAKE_MAKE_PROGRAM=" + config.cmake_make_program)
consumer_launcher = (getattr(config, "cxx_compiler_launcher", "")
                     or shutil.which("ccache"))
if consumer_launcher:
    consumer_cmake_args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=" + consumer_launcher)
config.substitutions.append(("%consumer_cmake_args",
                             " ".join(consumer_cmake_args)))
config.substitutions.append(("%python", config.python_executable or "python3"))
config.substitutions.append(
    ("%runner_libs",
     ",".join(os.path.join(config.llvm_lib_dir, name + config.llvm_shlib_ext)
              for name in ["libmlir_c_runner_utils", "libmlir_runner_utils"])))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Tools: ours from the build tree, FileCheck/not/mlir-runner from LLVM 22
# (Debian's /usr/bin FileCheck belongs to LLVM 14).
tool_dirs = [config.quantmlir_tools_dir, config.llvm_tools_dir]
tools = [
    "quant-opt",
    "quant-translate",
    ToolSubst("quant-import", unresolved="ignore"),
    ToolSubst("quant-run", unresolved="ignore"),
    ToolSubst("mlir-opt", unresolved="fatal"),
    ToolSubst("mlir-runner", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.quantmlir_tools_dir,
                             append_path=True)

# The Fashion-MNIST test set (Debian's dataset-fashion-mnist).
fmnist = "/usr/share/datasets/fashion-mnist"
if os.path.exists(os.path.join(fmnist, "t10k-images-idx3-ubyte.gz")):
    config.available_features.add("fashion-mnist")
config.substitutions.append(("%fmnist", fmnist))

# GPU features: ptxas from a CUDA toolkit checks PTX; a driver runs it.
if shutil.which("ptxas") or os.path.exists("/usr/local/cuda/bin/ptxas"):
    config.available_features.add("ptxas")
