from ${{ values.packageName }} import config, prepare


def test_the_sample_is_deterministic():
    a = prepare.generate_transactions(500, 0.05, seed=7)
    b = prepare.generate_transactions(500, 0.05, seed=7)
    assert a.equals(b)
    assert not a.equals(prepare.generate_transactions(500, 0.05, seed=8))


def test_the_sample_has_the_asked_fraud_rate_and_features():
    df = prepare.generate_transactions(2000, 0.05, seed=1)
    assert list(df.columns) == prepare.FEATURES + [config.TARGET]
    assert abs(df[config.TARGET].mean() - 0.05) < 0.005
    assert df.notna().all().all()


def test_the_split_is_stratified_and_disjoint():
    df = prepare.generate_transactions(2000, 0.05, seed=1)
    train, test = prepare.split(df, test_size=0.25, seed=1)
    assert len(train) + len(test) == len(df)
    assert abs(len(test) - 500) <= 2
    assert abs(train[config.TARGET].mean() - test[config.TARGET].mean()) < 0.01
    merged = train.merge(test, how="inner", on=list(df.columns))
    assert merged.empty


def test_main_writes_train_and_test(project, params, monkeypatch):
    monkeypatch.setattr(config, "load_params", lambda path=None: params)
    prepare.main()
    assert config.TRAIN_CSV.exists() and config.TEST_CSV.exists()
