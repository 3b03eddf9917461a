// Already in the LLVM dialect: the entry's tensor types are gone.
llvm.func @model() {
  llvm.return
}
